import { LayoutDefinitionError, parseLayoutDefinition } from './layout-definition';

const VALID = `
name: acme.claims
kind: claim
delimiter: ','
columns: [CLAIM_ID, MEMBER, DOS, STATUS, CPT, CHARGE]
fields:
  claimId: { column: CLAIM_ID }
  memberId: { column: MEMBER }
  claimType: { value: professional }
  eventType: { column: STATUS, translate: { map: { paid: adjudicated, held: pended } } }
  payer: { value: ACME }
  serviceFromDate: { column: DOS, type: date, format: MM/DD/YYYY }
lines:
  perRow: true
  fields:
    hcpcsCode: { column: CPT, type: code }
    chargeAmount: { column: CHARGE, type: amount }
    processingCategory: { value: unknown }
`;

function problemsOf(text: string): string[] {
  try {
    parseLayoutDefinition(text, 'layouts/acme.yaml');
  } catch (error) {
    if (error instanceof LayoutDefinitionError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('parseLayoutDefinition', () => {
  it('reads a valid mapping file', () => {
    const definition = parseLayoutDefinition(VALID, 'layouts/acme.yaml');
    expect(definition).toMatchObject({ name: 'acme.claims', kind: 'claim', delimiter: ',' });
    expect(definition.fields['claimId']).toEqual({ column: 'CLAIM_ID' });
  });

  it('reads the same definition written as JSON', () => {
    const json = JSON.stringify(parseLayoutDefinition(VALID, 'layouts/acme.yaml'));
    expect(parseLayoutDefinition(json, 'layouts/acme.json').name).toBe('acme.claims');
  });

  it('names the file and the key of a column the layout does not declare', () => {
    expect(problemsOf(VALID.replace('{ column: CLAIM_ID }', '{ column: CLAIMID }'))).toEqual([
      'layouts/acme.yaml: fields.claimId.column: unknown column "CLAIMID"',
    ]);
  });

  it('names a misspelt top-level key as unknown', () => {
    expect(problemsOf(VALID.replace("delimiter: ','", "delimiter: ','\ndelimter: ';'"))).toEqual([
      'layouts/acme.yaml: (root): unknown key "delimter"',
    ]);
  });

  it('names a field that is no canonical target as an unknown key of fields', () => {
    expect(problemsOf(VALID.replace('payer: { value: ACME }', 'payor: { value: ACME }'))).toEqual([
      'layouts/acme.yaml: fields: unknown key "payor"',
      'layouts/acme.yaml: fields.payer: required: map a column or give a value',
    ]);
  });

  it('refuses a translation to a value the target does not take', () => {
    expect(problemsOf(VALID.replace('held: pended', 'held: on_hold'))).toEqual([
      'layouts/acme.yaml: fields.eventType.translate.map.held: expected one of submitted, pended, cleared, adjudicated, acknowledged, rejected',
    ]);
  });

  it('refuses a date without a format and a format on a non-date', () => {
    expect(
      problemsOf(VALID.replace(', format: MM/DD/YYYY', '').replace('type: amount', 'type: amount, format: CCYYMMDD')),
    ).toEqual([
      'layouts/acme.yaml: fields.serviceFromDate.format: a date needs a format (CCYYMMDD, YYYY-MM-DD, MM/DD/YYYY, DD-Mon-YYYY)',
      'layouts/acme.yaml: lines.fields.chargeAmount.format: only dates take a format',
    ]);
  });

  it('refuses a declared type the target does not have', () => {
    expect(problemsOf(VALID.replace('type: code }', 'type: amount }'))).toEqual([
      'layouts/acme.yaml: lines.fields.hcpcsCode.type: this field is a code',
    ]);
  });

  it('refuses an unknown date format, naming the formats it knows', () => {
    const expected =
      'layouts/acme.yaml: fields.serviceFromDate.format: expected one of CCYYMMDD, YYYY-MM-DD, MM/DD/YYYY, DD-Mon-YYYY, or a list of them';
    expect(problemsOf(VALID.replace('MM/DD/YYYY', 'DD.MM.YYYY'))).toEqual([expected]);
    expect(problemsOf(VALID.replace('MM/DD/YYYY', '[MM/DD/YYYY, DD.MM.YYYY]'))).toEqual([expected]);
  });

  it('says what a constant may be when it is none', () => {
    expect(problemsOf(VALID.replace('payer: { value: ACME }', 'payer: { value: ~ }'))).toEqual([
      'layouts/acme.yaml: fields.payer.value: expected a text, a number or true/false',
    ]);
  });

  it('requires every line to get a processing category, which the KPI fold counts', () => {
    expect(problemsOf(VALID.replace('    processingCategory: { value: unknown }\n', ''))).toEqual([
      'layouts/acme.yaml: lines.fields.processingCategory: required: map a column or give a value',
    ]);
  });

  it('refuses a numbered column without a count', () => {
    expect(problemsOf(VALID.replace('{ column: CPT, type: code }', "{ column: 'CPT_{n}', type: code }"))).toEqual([
      'layouts/acme.yaml: lines.fields.hcpcsCode.column: "{n}" in a column name needs a count (or lines.repeat)',
    ]);
  });

  it('refuses a layout name outside the pattern', () => {
    expect(problemsOf(VALID.replace('acme.claims', 'Acme Claims'))).toEqual([
      'layouts/acme.yaml: name: expected lower-case words joined by ".", "-" or "_"',
    ]);
  });

  it('says so when the text is not YAML at all', () => {
    const [problem] = problemsOf('name: [unclosed');
    expect(problem).toMatch(/^layouts\/acme\.yaml: not valid YAML: /);
  });

  it('refuses a key given twice', () => {
    const [problem] = problemsOf(`${VALID}\nname: other.claims\n`);
    expect(problem).toMatch(/^layouts\/acme\.yaml: not valid YAML: /);
  });
});

describe('parseLayoutDefinition code series', () => {
  it('refuses a procedure code system for diagnoses', () => {
    const text = VALID.replace('lines:', 'diagnoses:\n  - { column: CPT, system: ICD-10-PCS }\nlines:');
    expect(problemsOf(text)).toEqual(['layouts/acme.yaml: diagnoses.0: ICD-10-PCS is no diagnosis code system']);
  });
});

describe('parseLayoutDefinition constants', () => {
  it('refuses at load a constant value its target cannot read, rather than dead-lettering every record', () => {
    const text = VALID.replace(
      'payer: { value: ACME }',
      'payer: { value: ACME }\n  receivedDate: { value: 2024-13-45 }',
    );
    expect(problemsOf(text)).toEqual([
      'layouts/acme.yaml: fields.receivedDate.value: "2024-13-45" is not a calendar date',
    ]);
  });

  it('refuses a default its target cannot read, in the field format', () => {
    const text = VALID.replace('{ column: CHARGE, type: amount }', "{ column: CHARGE, type: amount, default: 'N/A' }");
    expect(problemsOf(text)).toEqual([
      'layouts/acme.yaml: lines.fields.chargeAmount.default: "N/A" is not a dollar amount',
    ]);
    const date = VALID.replace('format: MM/DD/YYYY }', 'format: MM/DD/YYYY, default: 2024-01-31 }');
    expect(problemsOf(date)).toEqual([
      'layouts/acme.yaml: fields.serviceFromDate.default: "2024-01-31" is not a MM/DD/YYYY date',
    ]);
  });

  it('refuses a translation to a value a typed target cannot read', () => {
    const text = VALID.replace(
      '    processingCategory: { value: unknown }',
      "    processingCategory: { value: unknown }\n    lineNumber: { column: CPT, translate: { map: { X: none }, blank: '1' } }",
    );
    expect(problemsOf(text)).toEqual([
      'layouts/acme.yaml: lines.fields.lineNumber.translate.map.X: "none" is not a whole number',
    ]);
  });

  it('refuses a default an enum target does not translate', () => {
    const text = VALID.replace('{ column: STATUS, translate:', '{ column: STATUS, default: open, translate:');
    expect(problemsOf(text)).toEqual([
      'layouts/acme.yaml: fields.eventType.default: "open" is not translated to one of submitted, pended, cleared, adjudicated, acknowledged, rejected',
    ]);
  });

  it('reads well-formed constants and defaults as before', () => {
    const text = VALID.replace(
      'payer: { value: ACME }',
      'payer: { value: ACME }\n  receivedDate: { value: 2024-02-29 }',
    )
      .replace('{ column: CHARGE, type: amount }', "{ column: CHARGE, type: amount, default: '$0.00' }")
      .replace('format: MM/DD/YYYY }', 'format: [MM/DD/YYYY, YYYY-MM-DD], default: 2024-01-31 }');
    expect(problemsOf(text)).toEqual([]);
  });
});

describe('parseLayoutDefinition YAML scalars', () => {
  it('refuses a code YAML would read as a different number (01 is the number 1), naming the key', () => {
    const text = VALID.replace('paid: adjudicated, held: pended', "01: adjudicated, '02': pended");
    expect(problemsOf(text)).toEqual([
      'layouts/acme.yaml: fields.eventType.translate.map.01: 01 reads as the number 1 in YAML: write it in quotes to keep it as written',
    ]);
  });

  it('refuses a constant YAML would rewrite (00123 becomes 123, 1.50 becomes 1.5)', () => {
    const text = VALID.replace('payer: { value: ACME }', 'payer: { value: 00123 }\n  billType: { value: 0x11 }');
    expect(problemsOf(text)).toEqual([
      'layouts/acme.yaml: fields.payer.value: 00123 reads as the number 123 in YAML: write it in quotes to keep it as written',
      'layouts/acme.yaml: fields.billType.value: 0x11 reads as the number 17 in YAML: write it in quotes to keep it as written',
    ]);
  });

  it('takes numbers and booleans written as YAML reads them', () => {
    const text = VALID.replace('lines:', "diagnoses:\n  - { column: 'CPT{n}', count: 10, system: ICD-10-CM }\nlines:")
      .replace('CHARGE]', 'CHARGE, CPT1, CPT2, CPT3, CPT4, CPT5, CPT6, CPT7, CPT8, CPT9, CPT10]')
      .replace('paid: adjudicated', '1: adjudicated');
    expect(problemsOf(text)).toEqual([]);
  });

  it('refuses an alias bomb as not valid YAML', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
      const previous = String.fromCharCode(97 + index);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const [problem] = problemsOf(levels.join('\n'));
    expect(problem).toMatch(/^layouts\/acme\.yaml: not valid YAML: /);
  });
});

describe('parseLayoutDefinition ambiguities', () => {
  it('refuses two translations of one source value, which match ignoring case', () => {
    expect(problemsOf(VALID.replace('held: pended', 'PAID: pended'))).toEqual([
      'layouts/acme.yaml: fields.eventType.translate.map.PAID: translates the source value of "paid" again (values match ignoring case)',
    ]);
  });

  it('refuses a chronic-condition value that means both yes and no', () => {
    const text = `
name: acme.members
kind: member_reference
delimiter: ','
columns: [MEMBER, DIAB]
fields:
  memberId: { column: MEMBER }
chronicConditions:
  flags: { diabetes: DIAB }
  yes: ['1', Y]
  no: ['2', Y]
`;
    expect(problemsOf(text)).toEqual(['layouts/acme.yaml: chronicConditions.no: "Y" is also a yes value']);
  });
});

describe('parseLayoutDefinition repeated lines', () => {
  const REPEATED = VALID.replace('perRow: true', 'repeat: 3')
    .replace('CHARGE]', "CHARGE, 'CPT_1', 'CPT_2', 'CPT_3', 'CHG_1', 'CHG_2', 'CHG_3']")
    .replace('{ column: CPT, type: code }', "{ column: 'CPT_{n}', type: code }")
    .replace('{ column: CHARGE, type: amount }', "{ column: 'CHG_{n}', type: amount }");

  it('reads a repeated line whose fields read numbered columns', () => {
    expect(problemsOf(REPEATED)).toEqual([]);
  });

  it('refuses a repeated line whose presence no numbered column decides, which would repeat one line per slot', () => {
    expect(problemsOf(VALID.replace('perRow: true', 'repeat: 3'))).toEqual([
      'layouts/acme.yaml: lines.fields.chargeAmount.column: a repeated line reads its amounts from "{n}" columns: one column is read alike by every slot, its amount counted once per slot',
      'layouts/acme.yaml: lines.present: with repeat, a slot is a line by a field reading a "{n}" column: one no such field decides would repeat its line in every slot',
    ]);
  });
});
