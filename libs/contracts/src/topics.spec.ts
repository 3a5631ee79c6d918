import { CLAIM_TOPICS, namespacedGroupId, namespacedTopic } from './topics';

describe('CLAIM_TOPICS', () => {
  it('names every topic with a .v1 version suffix', () => {
    expect(Object.values(CLAIM_TOPICS)).toEqual([
      'claims.raw.v1',
      'claims.normalized.v1',
      'claims.enriched.v1',
      'claims.dlq.v1',
      'claims.provider-adjustments.v1',
      'claims.ingest-reports.v1',
      'reference.members.v1',
      'reference.providers.v1',
      'reference.provider-groups.v1',
      'reference.locations.v1',
    ]);
  });
});

describe('namespacedGroupId', () => {
  it('keeps the plain group id for the empty namespace', () => {
    expect(namespacedGroupId('claims-normalizer', '')).toBe('claims-normalizer');
  });

  it('gives two namespaces on one broker two different groups, so neither takes the other’s partitions', () => {
    expect(namespacedGroupId('claims-normalizer', 'tenant-a')).toBe('tenant-a.claims-normalizer');
    expect(namespacedGroupId('claims-normalizer', 'tenant-a')).not.toBe(
      namespacedGroupId('claims-normalizer', 'tenant-b'),
    );
  });

  it('rejects an invalid namespace', () => {
    expect(() => namespacedGroupId('claims-metrics', 'Bad.Name')).toThrow('Invalid topic namespace');
  });
});

describe('namespacedTopic', () => {
  it('returns the plain topic name for the empty namespace', () => {
    expect(namespacedTopic(CLAIM_TOPICS.raw, '')).toBe('claims.raw.v1');
  });

  it('prefixes the topic with a valid namespace and a dot', () => {
    expect(namespacedTopic(CLAIM_TOPICS.normalized, 'tenant-a')).toBe('tenant-a.claims.normalized.v1');
    expect(namespacedTopic(CLAIM_TOPICS.deadLetter, 'bench42')).toBe('bench42.claims.dlq.v1');
  });

  it('accepts a namespace of 41 characters, the longest the pattern allows', () => {
    const namespace = 'a'.repeat(41);
    expect(namespacedTopic(CLAIM_TOPICS.enriched, namespace)).toBe(`${namespace}.claims.enriched.v1`);
  });

  it.each([
    ['upper-case letters', 'Tenant'],
    ['a leading hyphen', '-tenant'],
    ['a dot', 'tenant.a'],
    ['an underscore', 'tenant_a'],
    ['a space', 'tenant a'],
    ['42 characters', 'a'.repeat(42)],
  ])('rejects a namespace with %s', (_label, namespace) => {
    expect(() => namespacedTopic(CLAIM_TOPICS.raw, namespace)).toThrow(`Invalid topic namespace "${namespace}"`);
  });
});
