import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicJsonSchema } from './json-schema';
import { CLAIM_TOPICS } from './topics';

const propertiesOf = (schema: Record<string, unknown>): Record<string, unknown> => {
  const properties = schema['properties'];
  if (typeof properties !== 'object' || properties === null) throw new Error('schema has no properties');
  return properties as Record<string, unknown>;
};

describe('topicJsonSchema', () => {
  it('returns a draft 2020-12 object schema for the normalized topic, with claimId required', () => {
    const schema = topicJsonSchema(CLAIM_TOPICS.normalized);
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['type']).toBe('object');
    expect(Object.keys(propertiesOf(schema))).toEqual(
      expect.arrayContaining(['eventId', 'eventType', 'occurredAt', 'claimId', 'claim', 'lineage', 'dataQuality']),
    );
    expect(schema['required']).toEqual(expect.arrayContaining(['claimId', 'occurredAt']));
    expect(propertiesOf(schema)['claimId']).toEqual({ type: 'string', minLength: 1 });
  });

  it.each([
    [CLAIM_TOPICS.raw, 'record'],
    [CLAIM_TOPICS.normalized, 'claim'],
    [CLAIM_TOPICS.enriched, 'normalizedEventId'],
    [CLAIM_TOPICS.deadLetter, 'originalValueBase64'],
  ])('describes the %s payload, including its %s property', (topic, property) => {
    expect(Object.keys(propertiesOf(topicJsonSchema(topic)))).toContain(property);
  });

  it('gives the enriched topic every normalized property plus the enrichment and the pend verdict', () => {
    const normalized = Object.keys(propertiesOf(topicJsonSchema(CLAIM_TOPICS.normalized)));
    const enriched = Object.keys(propertiesOf(topicJsonSchema(CLAIM_TOPICS.enriched)));
    expect(enriched).toEqual([...normalized, 'normalizedEventId', 'enrichment', 'pendDecision']);
  });
});

describe('the committed JSON Schema documents', () => {
  it.each(Object.values(CLAIM_TOPICS))('match the zod schema of %s (regenerate with `npm run schemas`)', (topic) => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', `${topic}.schema.json`), 'utf8'));
    expect(committed).toEqual(topicJsonSchema(topic));
  });
});
