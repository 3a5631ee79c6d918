import { schemaWithSmallCells } from './small-cell-schema';

describe('the OpenAPI schema of an answer with small cells', () => {
  const schema = {
    type: 'object',
    properties: {
      open: {
        type: 'object',
        properties: { claims: { type: 'number' }, amountCents: { type: 'number' } },
        additionalProperties: false,
      },
      byCode: { type: 'object', additionalProperties: { type: 'number' } },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          properties: { value: { type: 'string' }, claims: { type: 'number' } },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  };

  it('makes every figure the spec can withhold nullable and lists `suppressed` beside them, leaving labels alone', () => {
    const documented = schemaWithSmallCells(schema, {
      cells: [{ count: 'open.claims', with: ['open.amountCents', 'rows'] }],
      countMaps: ['byCode'],
      nested: { rows: { cells: [{ count: 'claims' }] } },
    });
    expect(documented).toMatchObject({
      properties: {
        open: { properties: { claims: { nullable: true }, amountCents: { nullable: true } } },
        byCode: { additionalProperties: { type: 'number', nullable: true } },
        suppressed: { type: 'array', items: { type: 'string' } },
        rows: {
          items: {
            properties: {
              value: { type: 'string' },
              claims: { type: 'number', nullable: true },
              suppressed: { type: 'array' },
            },
          },
        },
      },
    });
    expect(documented['properties']).not.toHaveProperty('rows.nullable');
    expect(JSON.stringify(schema)).not.toContain('nullable');
  });
});
