import { fitToWidth, formatCount, formatMoney, formatShare, plainText, reportFileName } from './report-text';

describe('the report text', () => {
  it('formats figures as the dashboard shows them, with a dash for none', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(null)).toBe('—');
    expect(formatMoney(584310)).toBe('$5,843.10');
    expect(formatMoney(-500)).toBe('-$5.00');
    expect(formatShare(0.6667)).toBe('66.7%');
    expect(formatShare(null)).toBe('—');
  });

  it('keeps a data value on one line: control characters and line breaks become spaces', () => {
    expect(plainText('ACME\r\nHealth\tPlan\u0000')).toBe('ACME Health Plan');
  });

  it('replaces characters the standard fonts cannot draw, and keeps Latin-1 and the Windows-1252 extras', () => {
    expect(plainText('Zürich – “Plan” 医保')).toBe('Zürich – “Plan” ??');
  });

  it('cuts a long value with an ellipsis', () => {
    const long = 'x'.repeat(500);
    expect(plainText(long, 10)).toBe(`${'x'.repeat(9)}…`);
    expect(Array.from(plainText(long)).length).toBe(60);
  });

  it('shows an empty value as a dash', () => {
    expect(plainText('')).toBe('—');
    expect(plainText(null)).toBe('—');
    expect(plainText(' \n ')).toBe('—');
  });

  it('fits text to a width by cutting it with an ellipsis', () => {
    const measure = (text: string): number => text.length * 5;
    expect(fitToWidth('short', 100, measure)).toBe('short');
    expect(fitToWidth('a rather long payer name', 50, measure)).toBe('a rather …');
    expect(fitToWidth('abc', 1, measure)).toBe('…');
  });

  it('names the file by its as-of date only', () => {
    expect(reportFileName('2024-03-31')).toBe('claims-kpi-report-2024-03-31.pdf');
    expect(reportFileName(null)).toBe('claims-kpi-report.pdf');
  });
});
