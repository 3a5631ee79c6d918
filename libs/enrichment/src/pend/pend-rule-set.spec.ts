import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimEvent } from '../enrich/__fixtures__/reference-fixtures';
import { EMPTY_ENRICHMENT_CODES, enrichClaim } from '../enrich';
import { ReferenceTables } from '../tables';
import { evaluatePendRules } from './decide-pend';
import { NO_DUPLICATES } from './duplicate-fingerprints';
import { loadPendRuleSet, loadShippedPendRuleSet } from './pend-rule-set';
import { PendRuleSetError } from './rule-file';

const rulesFile = (rules: string, version = '2026-12-01.1') => `version: ${version}\nrules:\n${rules}`;
const rule = (fields: string) =>
  `  - { code: HIGH_DOLLAR, description: Big, queue: Medical Review, severity: medium, ${fields} }\n`;

function loadError(text: string): string {
  try {
    loadPendRuleSet(text);
  } catch (error) {
    expect(error).toBeInstanceOf(PendRuleSetError);
    return (error as PendRuleSetError).message;
  }
  throw new Error('the rule file loaded');
}

describe('loadPendRuleSet', () => {
  it('loads the shipped rules with their version, in file order', () => {
    const ruleSet = loadShippedPendRuleSet();

    expect(ruleSet.version).toBe('2026-12-07.3');
    expect(ruleSet.rules.map((each) => each.code)).toEqual([
      'PROVIDER_NOT_FOUND',
      'PROVIDER_INCOMPLETE',
      'LOCATION_NOT_EFFECTIVE',
      'MEMBER_NOT_COVERED',
      'NPI_CHECK_DIGIT',
      'DUPLICATE_SUSPECT',
      'AMOUNT_OVER_THRESHOLD',
    ]);
    expect(ruleSet.commentKeywords.version).toBe('2026-12-01.1');
  });

  it('loads a rule file from a path, given as { path } or as a one-line string', () => {
    const folder = mkdtempSync(join(tmpdir(), 'pend-rules-'));
    try {
      writeFileSync(join(folder, 'rules.yaml'), rulesFile(rule('when: suspected_duplicate')));

      expect(loadPendRuleSet({ path: join(folder, 'rules.yaml') }).rules).toHaveLength(1);
      expect(loadPendRuleSet(join(folder, 'rules.yaml')).rules).toHaveLength(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses an unknown predicate, naming the rule and listing the known ones', () => {
    expect(loadError(rulesFile(rule('when: amount_too_big')))).toMatch(
      /^pend-rules\.yaml: rules\[0\] \(HIGH_DOLLAR\): when: unknown predicate "amount_too_big" \(known: provider_not_found, .*billed_amount_above_threshold\)$/,
    );
  });

  it('refuses a duplicate code, naming both rules', () => {
    const text = rulesFile(rule('when: suspected_duplicate') + rule('when: npi_check_digit_failed'));

    expect(loadError(text)).toBe('pend-rules.yaml: rules[1] (HIGH_DOLLAR): code: duplicate of rules[0]');
  });

  it('refuses params the predicate does not take, naming the rule and the key', () => {
    expect(loadError(rulesFile(rule('when: suspected_duplicate, params: { windowDays: -1 }')))).toMatch(
      /^pend-rules\.yaml: rules\[0\] \(HIGH_DOLLAR\): params\.windowDays: /,
    );
    expect(loadError(rulesFile(rule('when: suspected_duplicate, params: { window: 3 }')))).toBe(
      'pend-rules.yaml: rules[0] (HIGH_DOLLAR): params: unknown key "window"',
    );
  });

  it('refuses a threshold without a default or for an unknown claim type', () => {
    expect(
      loadError(
        rulesFile(rule('when: billed_amount_above_threshold, params: { thresholdDollars: { professional: 5 } }')),
      ),
    ).toMatch(/params\.thresholdDollars\.default: /);
    expect(
      loadError(
        rulesFile(rule('when: billed_amount_above_threshold, params: { thresholdDollars: { default: 5, dental: 5 } }')),
      ),
    ).toMatch(/params\.thresholdDollars: unknown key "dental"/);
  });

  it('checks the params of a disabled rule too', () => {
    expect(loadError(rulesFile(rule('when: suspected_duplicate, enabled: false, params: { windowDays: x }')))).toMatch(
      /rules\[0\] \(HIGH_DOLLAR\): params\.windowDays: /,
    );
  });

  it('refuses an unknown severity, a malformed code and an unknown key', () => {
    const text = rulesFile(
      `  - { code: high-dollar, description: Big, queue: Q, severity: urgent, when: suspected_duplicate, colour: red }\n`,
    );

    expect(loadError(text).split('\n')).toEqual([
      'pend-rules.yaml: rules[0] (high-dollar): code: expected an UPPER_SNAKE_CASE code',
      expect.stringMatching(/^pend-rules\.yaml: rules\[0\] \(high-dollar\): severity: /),
      'pend-rules.yaml: rules[0] (high-dollar): unknown key "colour"',
    ]);
  });

  it('refuses a file without a version, and one that is not YAML', () => {
    expect(loadError(`rules:\n${rule('when: suspected_duplicate')}`)).toMatch(/^pend-rules\.yaml: version: /);
    expect(loadError('version: [\n')).toMatch(/^pend-rules\.yaml: not valid YAML: /);
  });

  it('names the path of a rule file it cannot read', () => {
    expect(loadError('/nonexistent/pend-rules.yaml')).toMatch(/^\/nonexistent\/pend-rules\.yaml: cannot read: /);
  });

  it('refuses a repeated key rather than letting the second silently win', () => {
    expect(loadError(`version: 2026-12-01.1\nversion: 2026-12-01.2\nrules: []\n`)).toMatch(/not valid YAML/);
  });

  it('leaves a disabled rule out of the rule set and lists it', () => {
    const ruleSet = loadPendRuleSet(rulesFile(rule('when: suspected_duplicate, enabled: false')));

    expect(ruleSet.rules).toEqual([]);
    expect(ruleSet.disabledCodes).toEqual(['HIGH_DOLLAR']);
  });

  it('applies the default threshold to a claim type the rule does not list', () => {
    const ruleSet = loadPendRuleSet(
      rulesFile(
        rule('when: billed_amount_above_threshold, params: { thresholdDollars: { pharmacy: 5, default: 100 } }'),
      ),
    );
    const tables = new ReferenceTables();
    const codes = (billedAmountCents: number) => {
      const event = claimEvent({ billedAmountCents });
      return evaluatePendRules(
        event,
        enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES),
        tables,
        ruleSet,
        NO_DUPLICATES,
      ).map((reason) => reason.code);
    };

    expect(codes(10_001)).toEqual(['HIGH_DOLLAR']);
    expect(codes(10_000)).toEqual([]);
  });

  it('skips a rule for the layouts it names, exactly or by prefix', () => {
    const ruleSet = loadPendRuleSet(
      rulesFile(
        rule(
          'when: billed_amount_above_threshold, params: { thresholdDollars: { default: 1 } }, skipLayouts: [rif.*, billing.claim-export]',
        ),
      ),
    );
    const [compiled] = ruleSet.rules;

    expect(compiled!.appliesTo('rif.carrier')).toBe(false);
    expect(compiled!.appliesTo('billing.claim-export')).toBe(false);
    expect(compiled!.appliesTo('billing.pended-queue-export')).toBe(true);
    expect(compiled!.appliesTo('desynpuf.carrier')).toBe(true);
  });
});
