import type { SourceLine } from './lines-of';
import { QuotedRecordJoiner, leavesQuoteOpen, splitRecordRows, type QuotedRecordLimits } from './quoted-records';
import { parseCsvRecord } from './csv';
import { loadSourceLayouts } from './layout-files';
import { sourceRecordErrorOf } from './__fixtures__/source-record-error';

const line = (text: string): SourceLine => ({ kind: 'line', text, bytes: Buffer.from(text, 'utf8') });

/** Takes a record that splits into exactly four CSV fields, as the ingestor's check against the header does. */
function fourColumns(record: string): boolean {
  try {
    return parseCsvRecord(record).length === 4;
  } catch {
    return false;
  }
}

function recordsOf(lines: SourceLine[], limits: QuotedRecordLimits = { maxRecordBytes: 1_000, maxLines: 10 }) {
  const joiner = new QuotedRecordJoiner('"', fourColumns, limits);
  const records = [...lines.flatMap((next) => joiner.push(next)), ...joiner.end()];
  return records.map((record) => (record.kind === 'line' ? record.text : record.kind));
}

describe('leavesQuoteOpen', () => {
  it('finds a quoted field left open by an odd count of quotes, doubled quotes counting as closed', () => {
    expect(leavesQuoteOpen('1,"note starts', '"')).toBe(true);
    expect(leavesQuoteOpen('1,"a ""quoted"" word",3', '"')).toBe(false);
    expect(leavesQuoteOpen('ends here",2,3', '"')).toBe(true);
    expect(leavesQuoteOpen('1,2,3', '"')).toBe(false);
  });
});

describe('splitRecordRows', () => {
  it('splits the rows of a claim on LF, keeping a line break inside a quoted field in its row', () => {
    expect(splitRecordRows('C1,"line one\nline two",10\nC1,plain,20', '"')).toEqual([
      'C1,"line one\nline two",10',
      'C1,plain,20',
    ]);
  });

  it('splits on every LF when the layout has no quote character, a quote being data', () => {
    expect(splitRecordRows('C1|O"BRIEN|10\nC1|SMITH|20', null)).toEqual(['C1|O"BRIEN|10', 'C1|SMITH|20']);
  });

  it('answers a record of one row as one row', () => {
    expect(splitRecordRows('C1,"x",10', '"')).toEqual(['C1,"x",10']);
  });
});

describe('QuotedRecordJoiner', () => {
  it('joins the lines of a quoted field that holds line breaks into one record, blank lines included', () => {
    const lines = ['C1,"Suite 100', '', 'Main St",10,a', 'C2,plain,20,b'].map(line);
    expect(recordsOf(lines)).toEqual(['C1,"Suite 100\n\nMain St",10,a', 'C2,plain,20,b']);
  });

  it('keeps the joined bytes with LF between the lines, as the record text', () => {
    const joiner = new QuotedRecordJoiner('"', fourColumns, { maxRecordBytes: 1_000, maxLines: 10 });
    joiner.push(line('C1,"a'));
    const [record] = joiner.push(line('b",1,2'));
    expect(record?.kind === 'line' && record.bytes.toString('utf8')).toBe('C1,"a\nb",1,2');
  });

  it('lets a stray quote cost its own line only: the lines after it are read as records of their own', () => {
    const lines = ['C1,12" ruler,10,a', 'C2,plain,20,b', 'C3,plain,30,c'].map(line);
    expect(recordsOf(lines)).toEqual(['C1,12" ruler,10,a', 'C2,plain,20,b', 'C3,plain,30,c']);
  });

  it('does not join two lines that each hold a stray quote, since together they are no record of the header', () => {
    const lines = ['C1,12" ruler,10,a', 'C2,3" nail,20,b', 'C3,plain,30,c'].map(line);
    expect(recordsOf(lines)).toEqual(['C1,12" ruler,10,a', 'C2,3" nail,20,b', 'C3,plain,30,c']);
  });

  it('gives up a quote that stays open past the line limit, and reads every held line again', () => {
    const lines = ['C0,"never closed,1,2', ...Array.from({ length: 5 }, (_, index) => `C${index + 1},x,1,2`)].map(line);
    expect(recordsOf(lines, { maxRecordBytes: 1_000, maxLines: 3 })).toEqual([
      'C0,"never closed,1,2',
      'C1,x,1,2',
      'C2,x,1,2',
      'C3,x,1,2',
      'C4,x,1,2',
      'C5,x,1,2',
    ]);
  });

  it('gives up a quote that stays open past the byte limit', () => {
    const lines = ['C0,"open,1,2', 'C1,x,1,2', 'C2,"closes",1,2"'].map(line);
    expect(recordsOf(lines, { maxRecordBytes: 15, maxLines: 10 })).toEqual([
      'C0,"open,1,2',
      'C1,x,1,2',
      'C2,"closes",1,2"',
    ]);
  });

  it('ends a held record at a line that is not text, which goes on in its place in the file', () => {
    const notText: SourceLine = { kind: 'not_text', cause: 'invalid_utf8', bytes: Buffer.from([0xff]) };
    expect(recordsOf([line('C0,"open,1,2'), line('C1,x,1,2'), notText, line('C2,x,1,2')])).toEqual([
      'C0,"open,1,2',
      'C1,x,1,2',
      'not_text',
      'C2,x,1,2',
    ]);
  });

  it('hands back what is held line by line at the end of the file', () => {
    expect(recordsOf([line('C1,a,b,c'), line('C2,"open,1,2'), line('tail')])).toEqual([
      'C1,a,b,c',
      'C2,"open,1,2',
      'tail',
    ]);
  });

  it('holds nothing back for lines without a quote, and holds a line that opens one', () => {
    const joiner = new QuotedRecordJoiner('"', fourColumns, { maxRecordBytes: 1_000, maxLines: 10 });
    expect(joiner.push(line('C1,a,b,c'))).toHaveLength(1);
    expect(joiner.push(line('C2,"open'))).toEqual([]);
    expect(joiner.push(line('close",1,2'))).toHaveLength(1);
  });
});

describe('QuotedRecordJoiner on a billing export note past the line limit, wired as the ingestor wires it', () => {
  const header =
    'Claim_ID,Provider_ID,Procedure_code,Diagnosis_code,service_date,Payer,Claim_amnt,Paid_amnt,claim_status,Location';
  const claimRow = (claimId: string, location: string): string =>
    `${claimId},1245319599,99213,E11.9,03/04/2024,Aetna,$185.00,$142.50,paid,${location}`;
  const layout = loadSourceLayouts().detect(header).mapped;
  if (!layout) throw new Error('expected the billing export layout');
  const binding = layout.bindHeader(header);
  const fitsHeader = (record: string): boolean => {
    try {
      return layout.fitsColumns(binding, layout.splitRecord(record).length);
    } catch {
      return false;
    }
  };

  it('hands on every line, in file order, the opening one refused for its unclosed quote, and reads the rows after it', () => {
    const note = Array.from({ length: 150 }, (_, index) => `paragraph ${index + 1}`);
    const lines = [claimRow('N-1', '"Suite 100'), ...note, 'end of note"', claimRow('N-2', 'Main Street Clinic')];
    const joiner = new QuotedRecordJoiner('"', fitsHeader, { maxRecordBytes: 16 * 1024 * 1024, maxLines: 100 });
    const records = [...lines.flatMap((text) => joiner.push(line(text))), ...joiner.end()].map((record) =>
      record.kind === 'line' ? record.text : record.kind,
    );
    // Nothing is lost or merged: each line is a record of its own, dead-lettered for its own fault.
    expect(records).toEqual(lines);
    expect(sourceRecordErrorOf(() => layout.splitRecord(lines[0] ?? '')).message).toBe(
      'unterminated quoted field: the quote opening field 10 at character 66 does not close by the end of the record',
    );
    expect(fitsHeader(records[records.length - 1] ?? '')).toBe(true);
  });

  it('joins a note of exactly the line limit into one record', () => {
    const note = Array.from({ length: 98 }, (_, index) => `paragraph ${index + 1}`);
    const lines = [claimRow('N-1', '"Suite 100'), ...note, 'end of note"'];
    const joiner = new QuotedRecordJoiner('"', fitsHeader, { maxRecordBytes: 16 * 1024 * 1024, maxLines: 100 });
    const records = [...lines.flatMap((text) => joiner.push(line(text))), ...joiner.end()];
    expect(records.map((record) => (record.kind === 'line' ? record.text : record.kind))).toEqual([lines.join('\n')]);
  });
});
