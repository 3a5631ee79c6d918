import { SourceRecordError } from './source-record.errors';

/**
 * Splits one record on `delimiter`, honouring `quote` (RFC 4180 rules) when
 * the format has one. CMS RIF extracts are pipe-delimited and never quoted:
 * a quote there is data, so `quote` is null for them.
 */
export function splitDelimitedRecord(record: string, delimiter: string, quote: '"' | null): string[] {
  if (quote === null || !record.includes(quote)) return record.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let position = 0; position < record.length; position += 1) {
    const char = record[position];
    if (quoted) {
      if (char !== quote) field += char;
      else if (record[position + 1] === quote) {
        field += quote;
        position += 1;
      } else {
        quoted = false;
        const next = record[position + 1];
        if (next !== undefined && next !== delimiter) {
          throw new SourceRecordError('CSV_MALFORMED', `text after a closing quote at character ${position + 2}`);
        }
      }
    } else if (char === quote) {
      if (field.length > 0) {
        throw new SourceRecordError('CSV_MALFORMED', `quote inside an unquoted field at character ${position + 1}`);
      }
      quoted = true;
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) throw new SourceRecordError('CSV_MALFORMED', 'unterminated quoted field');
  fields.push(field);
  return fields;
}
