import { promtool } from '@claims/harness';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const PROMETHEUS_DIRECTORY = __dirname;
const RULES_FILE = 'alerts.yml';
const TESTS_DIRECTORY = 'tests';

interface AlertRule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleTestFile {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string }> }>;
}

function alertRules(directory = PROMETHEUS_DIRECTORY): AlertRule[] {
  const document = parse(readFileSync(join(directory, RULES_FILE), 'utf8')) as {
    groups: Array<{ rules: AlertRule[] }>;
  };
  return document.groups.flatMap((group) => group.rules).filter((rule) => rule.alert !== undefined);
}

function ruleTestFiles(directory = PROMETHEUS_DIRECTORY): string[] {
  return readdirSync(join(directory, TESTS_DIRECTORY))
    .filter((name) => name.endsWith('.test.yml'))
    .map((name) => join(TESTS_DIRECTORY, name));
}

/** A scratch copy of deploy/prometheus that a test may break without touching the real files. */
function scratchCopy(): string {
  const directory = mkdtempSync(join(tmpdir(), 'claims-alert-rules-'));
  cpSync(join(PROMETHEUS_DIRECTORY, RULES_FILE), join(directory, RULES_FILE));
  cpSync(join(PROMETHEUS_DIRECTORY, TESTS_DIRECTORY), join(directory, TESTS_DIRECTORY), { recursive: true });
  return directory;
}

describe('the Prometheus alert rules', () => {
  it('pass `promtool check rules`', () => {
    const result = promtool(['check', 'rules', RULES_FILE], { cwd: PROMETHEUS_DIRECTORY });
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('pass their unit tests under `promtool test rules`', () => {
    const result = promtool(['test', 'rules', ...ruleTestFiles()], { cwd: PROMETHEUS_DIRECTORY });
    expect(result.output).not.toContain('FAILED');
    expect(result.status).toBe(0);
  });

  it('give every alert a severity, a summary, a description and a runbook note', () => {
    const incomplete = alertRules()
      .filter(
        (rule) =>
          !['page', 'ticket'].includes(rule.labels?.['severity'] ?? '') ||
          !rule.annotations?.['summary'] ||
          !rule.annotations['description'] ||
          (rule.annotations['runbook'] ?? '').length < 80,
      )
      .map((rule) => rule.alert);
    expect(incomplete).toEqual([]);
  });

  it('have a unit test for every alert', () => {
    const tested = new Set(
      ruleTestFiles().flatMap((file) =>
        (parse(readFileSync(join(PROMETHEUS_DIRECTORY, file), 'utf8')) as RuleTestFile).tests.flatMap((test) =>
          (test.alert_rule_test ?? []).map((assertion) => assertion.alertname),
        ),
      ),
    );
    expect(alertRules().map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'ClaimsConsumerLagGrowing',
        'ClaimsDeadLetterRateHigh',
        'ClaimsStageNotProcessing',
        'ClaimsConsumerStalled',
        'ClaimsFoldStoppedOnSourceReset',
        'ClaimsApiErrorRateHigh',
        'ClaimsPendedQueueOlderThanSla',
        'ClaimsWatermarkStalled',
        'ClaimsFoldNotCommitting',
        'ClaimsIngestFilesFailing',
        'ClaimsAcknowledgementOverdue',
        'Claims277caRejectionSpike',
      ]),
    );
    expect(alertRules().filter((rule) => !tested.has(rule.alert))).toEqual([]);
  });

  describe('on a deliberately broken copy', () => {
    let directory: string;

    beforeEach(() => {
      directory = scratchCopy();
    });

    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('fail `promtool check rules` when an expression does not parse', () => {
      const rules = readFileSync(join(directory, RULES_FILE), 'utf8');
      const broken = rules.replace(
        'expr: max by (service, stage) (claims_consumer_stalled) == 1',
        'expr: max by (service, stage) (claims_consumer_stalled == 1',
      );
      expect(broken).not.toBe(rules);
      writeFileSync(join(directory, RULES_FILE), broken);

      const result = promtool(['check', 'rules', RULES_FILE], { cwd: directory });
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/parse error/);
    });

    it('fail `promtool test rules` when a threshold changes what an alert catches', () => {
      const rules = readFileSync(join(directory, RULES_FILE), 'utf8');
      // From 5% to 50%: the tested 10% dead-letter rate would no longer page anyone.
      const broken = rules.replace(/\n {10}> 0\.05\n/, '\n          > 0.5\n');
      expect(broken).not.toBe(rules);
      writeFileSync(join(directory, RULES_FILE), broken);

      expect(promtool(['check', 'rules', RULES_FILE], { cwd: directory }).status).toBe(0);
      const result = promtool(['test', 'rules', ...ruleTestFiles(directory)], { cwd: directory });
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/FAILED[\s\S]*alertname: ClaimsDeadLetterRateHigh/);
    });
  });
});
