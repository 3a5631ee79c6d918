import { DESYNPUF_CARRIER_LAYOUT } from '@claims/contracts';
import { parseCsvRecord } from './csv';
import { parseDateAs, type DateFormat } from './field-values';
import type { FieldSpec } from './layout-definition';
import type { HeaderBinding, MappedLayout } from './mapped-layout';
import type { DetectedLayout } from './source-layout-registry';
import { SourceRecordError } from './source-record.errors';

/** CLM_THRU_DT's position in the DE-SynPUF carrier layout (DESYNPUF_CARRIER_COLUMNS). */
const CARRIER_THROUGH_DATE_INDEX = 3;

function dateOf(text: string | undefined, format: FieldSpec['format']): string | null {
  const value = (text ?? '').replace(/"/g, '').trim();
  if (value === '') return null;
  const formats: readonly DateFormat[] =
    format === undefined ? ['YYYY-MM-DD'] : typeof format === 'string' ? [format] : format;
  for (const candidate of formats) {
    try {
      return parseDateAs(value, candidate, 'event date');
    } catch (error) {
      if (!(error instanceof SourceRecordError)) throw error;
    }
  }
  return null;
}

function mappedEventDate(layout: MappedLayout, header: string, record: string): string | null {
  if (layout.kind !== 'claim') return null;
  const fields = layout.definition.fields;
  // The normalizer's own order: the declared event-time dates, else the through date, else the from date.
  const targets = [...(layout.definition.occurredAt ?? []), 'serviceThroughDate', 'serviceFromDate'];
  let cells: string[];
  let binding: HeaderBinding;
  try {
    cells = layout.splitRecord(record);
    // A header the layout cannot read (one that does not split, or names a read column twice) paces nothing.
    binding = layout.bindHeader(header);
  } catch {
    return null;
  }
  for (const target of targets) {
    const column = fields[target]?.column;
    if (column === undefined) continue;
    const date = dateOf(cells[binding.indexOf(column)], fields[target]?.format);
    if (date !== null) return date;
  }
  return null;
}

/**
 * The event date (ISO YYYY-MM-DD) a raw source row will carry once
 * normalized, read without normalizing it: what a replay paced on the
 * records' own dates (`npm run ingest -- --speedup K`) waits for. The carrier
 * layout's event time is CLM_THRU_DT (normalizeCarrierRecord); a mapped
 * layout's is its `occurredAt` dates, else its service through date, else its
 * from date (normalizeMappedRecord). Null when the row has no readable date
 * or holds a member reference, never an error: pacing is a courtesy, and the
 * normalizer is where a bad date is judged.
 */
export function eventDateOfRecord(layout: DetectedLayout, header: string, record: string): string | null {
  if (layout.mapped === null) {
    if (layout.name !== DESYNPUF_CARRIER_LAYOUT) return null;
    let cells: string[];
    try {
      cells = parseCsvRecord(record);
    } catch {
      return null;
    }
    return dateOf(cells[CARRIER_THROUGH_DATE_INDEX], 'CCYYMMDD');
  }
  return mappedEventDate(layout.mapped, header, record);
}
