import { SourceRecordError } from './source-record.errors';

/** Spaces and tabs: what an export writes beside a quoted field (`a, "b"`), where RFC 4180 allows none. */
const isBlankSpace = (text: string | undefined): boolean => text === ' ' || text === '\t';

/**
 * Splits one record on `delimiter`, honouring `quote` (RFC 4180 rules) when
 * the format has one. CMS RIF extracts are pipe-delimited and never quoted:
 * a quote there is data, so `quote` is null for them.
 *
 * A fault is said by what is wrong and where (1-based field and character):
 * a space beside a quote is named as such, since "quote inside an unquoted
 * field" sends the reader of a dead letter looking for a stray quote.
 */
export function splitDelimitedRecord(record: string, delimiter: string, quote: '"' | null): string[] {
  if (quote === null || !record.includes(quote)) return record.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let openedAt = 0;
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
          throw new SourceRecordError(
            'CSV_MALFORMED',
            isBlankSpace(next)
              ? `space after the closing quote of field ${fields.length + 1} at character ${position + 2}`
              : `text after a closing quote at character ${position + 2}`,
          );
        }
      }
    } else if (char === quote) {
      if (field.length > 0) {
        throw new SourceRecordError(
          'CSV_MALFORMED',
          [...field].every(isBlankSpace)
            ? `space before the opening quote of field ${fields.length + 1} at character ${position + 1}`
            : `quote inside an unquoted field at character ${position + 1}`,
        );
      }
      quoted = true;
      openedAt = position;
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) {
    throw new SourceRecordError(
      'CSV_MALFORMED',
      `unterminated quoted field: the quote opening field ${fields.length + 1} at character ${openedAt + 1} does not close by the end of the record`,
    );
  }
  fields.push(field);
  return fields;
}
