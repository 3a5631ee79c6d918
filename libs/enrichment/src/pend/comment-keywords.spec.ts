import { join } from 'node:path';
import { loadPendCommentKeywords } from './comment-keywords';
import { PendRuleSetError, shippedRulesFolder } from './rule-file';

const keywords = loadPendCommentKeywords(`version: 2026-12-01.1
unclassifiedQueue: Triage
rules:
  - { id: duplicate, reason: DUPLICATE_SUSPECT, queue: Claims Integrity, keywords: [duplicate, same dos] }
  - { id: npi, reason: PROVIDER_NOT_FOUND, queue: Provider Data, keywords: [npi, w-9] }
  - { id: dollars, reason: AMOUNT_OVER_THRESHOLD, queue: Medical Review, pattern: '\\$\\d{2},\\d{3}' }
`);

describe('loadPendCommentKeywords', () => {
  it('classifies a comment by the first rule whose keyword it contains', () => {
    expect(keywords.classify('Duplicate? NPI matches the earlier claim')).toMatchObject({
      ruleId: 'duplicate',
      reason: 'DUPLICATE_SUSPECT',
      queue: 'Claims Integrity',
    });
  });

  it('matches keywords ignoring case, and phrases across any whitespace', () => {
    expect(keywords.classify('Rendering npi not on file')?.ruleId).toBe('npi');
    expect(keywords.classify('SAME\n  DOS as claim 99')?.ruleId).toBe('duplicate');
    expect(keywords.classify('asked for the W-9 again')?.ruleId).toBe('npi');
  });

  it('matches whole words only, not a keyword inside a longer word', () => {
    expect(keywords.classify('Sent to the NPIX clearinghouse; duplicates folder reviewed')).toBeNull();
  });

  it('matches a rule given as a pattern', () => {
    expect(keywords.classify('Billed $12,950.00, op note requested')?.ruleId).toBe('dollars');
  });

  it('classifies nothing from blank or missing comments', () => {
    expect(keywords.classify(null)).toBeNull();
    expect(keywords.classify('')).toBeNull();
    expect(keywords.classify('Holding for provider callback.')).toBeNull();
    expect(keywords.unclassifiedQueue).toBe('Triage');
  });

  it('classifies the comments of data/pended/pended-queue-2024-03-15.csv into the shipped reasons', () => {
    const shipped = loadPendCommentKeywords({ path: join(shippedRulesFolder(), 'pend-comment-keywords.yaml') });

    expect(shipped.classify('Rendering NPI not on file; requested W-9 and NPPES printout from office.')?.reason).toBe(
      'PROVIDER_NOT_FOUND',
    );
    expect(
      shipped.classify('Member called 3/1, confirmed coverage through employer plan; retro-term reversed.')?.reason,
    ).toBe('MEMBER_NOT_COVERED');
    expect(shipped.classify('High-dollar review: op note requested.')?.reason).toBe('AMOUNT_OVER_THRESHOLD');
    expect(shipped.classify('Possible duplicate of PQ-2024-000099; same DOS and CPT.')?.reason).toBe(
      'DUPLICATE_SUSPECT',
    );
    expect(shipped.classify('No member ID on claim; searched by name/DOB, two candidates.')?.reason).toBe(
      'MEMBER_NOT_FOUND',
    );
    expect(shipped.classify('New service location effective 3/1; loaded 3/14 and released.')?.reason).toBe(
      'LOCATION_NOT_EFFECTIVE',
    );
  });

  it('refuses a rule with both keywords and a pattern, or a pattern that does not compile, naming the rule', () => {
    const load = (rules: string) => () => loadPendCommentKeywords(`version: 2026-12-01.1\nrules:\n${rules}`);

    expect(load('  - { id: both, reason: X, queue: Q, keywords: [a], pattern: b }\n')).toThrow(
      'pend-comment-keywords.yaml: rules[0] (both): give exactly one of keywords, pattern',
    );
    expect(load('  - { id: broken, reason: X, queue: Q, pattern: "(" }\n')).toThrow(
      /^pend-comment-keywords\.yaml: rules\[0\] \(broken\): pattern: /,
    );
    expect(
      load(
        '  - { id: twice, reason: X, queue: Q, keywords: [a] }\n  - { id: twice, reason: Y, queue: Q, keywords: [b] }\n',
      ),
    ).toThrow('pend-comment-keywords.yaml: rules[1] (twice): id: duplicate of rules[0]');
    expect(load('  - { id: x, reason: X, queue: Q, keywords: [a] }\n')).not.toThrow();
    expect(load('  - { id: bad, reason: X, queue: Q, keywords: [] }\n')).toThrow(PendRuleSetError);
  });
});
