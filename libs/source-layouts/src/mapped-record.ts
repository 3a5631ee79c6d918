import {
  ClaimEventSchema,
  MemberReferenceEventSchema,
  deriveEventId,
  derivedEventId,
  lineageSchemaVersion,
  type Claim,
  type ClaimEvent,
  type ClaimLine,
  type DataQualityFinding,
  type LineProcessingCategory,
  type MemberReferenceEvent,
  type RawClaimRecord,
} from '@claims/contracts';
import type { z } from 'zod';
import type { CodeLists } from './code-lists';
import { DEFAULT_SERVICE_DATE_RANGE, type DateRange } from './csv';
import { tokenizePatientId } from './desynpuf-carrier';
import { parseDateInFormats, parseDecimalNumber, parseMoneyCents, parseWholeNumber } from './field-values';
import { expandNumbered, translatedValue, type CodeSeries, type FieldSpec } from './layout-definition';
import type { HeaderBinding, MappedLayout } from './mapped-layout';
import { splitRecordRows } from './quoted-records';
import {
  CLAIM_TARGETS,
  LINE_TARGETS,
  MEMBER_TARGETS,
  type ClaimTarget,
  type LineTarget,
  type MemberTarget,
  type TargetSpec,
} from './mapping-targets';
import { isValidNpiCheckDigit } from './npi-check-digit';
import { HEADER_REPEATED_REASON, ROW_BLANK_REASON, SourceRecordError, holdsNoValue } from './source-record.errors';

export interface MappingOptions {
  patientTokenKey: string;
  serviceDateRange?: DateRange;
  codeLists: CodeLists;
}

export type NormalizedSourceRecord =
  | { kind: 'claim'; event: ClaimEvent }
  | { kind: 'member_reference'; event: MemberReferenceEvent };

type Value = string | number;

/** One row as read: its fields, and where it sits in the claim (1-based) for messages. */
interface Row {
  fields: readonly string[];
  position: number;
}

/** A field's name in messages for each slot of a repeated line, by its spec (FieldReader.fieldName). */
const SLOT_FIELD_NAMES = new WeakMap<FieldSpec, string[]>();

/**
 * Reads mapped fields of one record, collecting data-quality findings on
 * the way. Messages name columns and fields, never values: values may be PHI
 * and messages travel to the dead-letter topic and to logs.
 */
class FieldReader {
  readonly findings: DataQualityFinding[] = [];

  constructor(
    private readonly layout: MappedLayout,
    private readonly binding: HeaderBinding,
    private readonly source: string,
    private readonly options: MappingOptions,
  ) {}

  private get dateRange(): DateRange {
    return this.options.serviceDateRange ?? DEFAULT_SERVICE_DATE_RANGE;
  }

  isUnknownCode(list: NonNullable<FieldSpec['codeList']>, code: string): boolean {
    return this.options.codeLists.isKnown(list, code) === false;
  }

  finding(code: string, field: string, message: string): void {
    this.findings.push({ code, field, message });
  }

  /** A value past the layout's maxFieldLength is damage, not data. @throws SourceRecordError FIELD_TOO_LONG */
  holdToMaxLength(field: string, text: string): void {
    if (text.length > this.layout.maxFieldLength) {
      throw new SourceRecordError('FIELD_TOO_LONG', `${field} is longer than ${this.layout.maxFieldLength} characters`);
    }
  }

  cell(row: Row, column: string): string {
    return this.slotCell(row, column, undefined);
  }

  /** The name a message uses for a field: its column, else the target. */
  private fieldName(spec: FieldSpec, target: string, slot: number | undefined): string {
    const column = spec.column ?? spec.columns?.[0];
    if (column === undefined) return target;
    if (slot === undefined) return column;
    // Every record reads every slot of a repeated line: each slot's name is built once per field.
    let names = SLOT_FIELD_NAMES.get(spec);
    if (names === undefined) {
      names = [];
      SLOT_FIELD_NAMES.set(spec, names);
    }
    return (names[slot] ??= column.replaceAll('{n}', String(slot)));
  }

  private slotCell(row: Row, column: string, slot: number | undefined): string {
    return (row.fields[this.binding.indexOfSlot(column, slot)] ?? '').trim();
  }

  private rawText(spec: FieldSpec, row: Row, slot: number | undefined): string {
    if (spec.column !== undefined) return this.slotCell(row, spec.column, slot);
    if (spec.columns !== undefined) return spec.columns.map((column) => this.slotCell(row, column, slot)).join('');
    if (spec.value !== undefined) return spec.value;
    if (spec.fromSource !== undefined) return new RegExp(spec.fromSource).exec(this.source)?.[1]?.trim() ?? '';
    return '';
  }

  /**
   * The value of one mapped field, parsed to its target's type; null when
   * blank (or flagged). @throws SourceRecordError when the record cannot be trusted.
   */
  read(target: string, targetSpec: TargetSpec, spec: FieldSpec, row: Row, slot?: number): Value | null {
    const field = this.fieldName(spec, target, slot);
    let text = this.rawText(spec, row, slot);
    if (text === '' && spec.default !== undefined) {
      // A layout may both flag a blank and name what it stands for (a payer UNSPECIFIED): said, then defaulted.
      if (spec.missing === 'flag') this.finding('FIELD_MISSING', field, `${field} is blank`);
      text = spec.default;
    }
    if (spec.translate !== undefined) {
      const translated = translatedValue(text, spec.translate);
      if (translated !== undefined) text = translated;
      else if (targetSpec.type === 'enum') {
        if (targetSpec.required) {
          throw new SourceRecordError('CODE_UNTRANSLATED', `${field} holds a value the layout does not translate`);
        }
        this.finding('CODE_UNTRANSLATED', field, `${field} holds a value the layout does not translate`);
        return null;
      }
    }
    if (text === '') {
      const missing = spec.missing ?? (targetSpec.required ? 'reject' : 'allow');
      if (missing === 'reject') {
        // The claim id keeps the code the carrier layout gives it, so one code means one thing in the dead letters.
        const code = target === 'claimId' ? 'CLAIM_ID_MISSING' : 'FIELD_MISSING';
        throw new SourceRecordError(code, `${field} is blank`);
      }
      if (missing === 'flag') this.finding('FIELD_MISSING', field, `${field} is blank`);
      return null;
    }
    this.holdToMaxLength(field, text);
    const value = this.parse(text, targetSpec, spec, field);
    if (spec.codeList !== undefined && typeof value === 'string') {
      if (this.isUnknownCode(spec.codeList, value)) {
        this.finding('CODE_UNKNOWN', field, `${field} is not in the ${spec.codeList} code list`);
      }
    }
    return value;
  }

  private parse(text: string, targetSpec: TargetSpec, spec: FieldSpec, field: string): Value {
    switch (targetSpec.type) {
      case 'string':
      case 'enum':
        return text;
      case 'code':
        return text.toUpperCase();
      case 'npi':
        if (!isValidNpiCheckDigit(text)) {
          this.finding('NPI_CHECK_DIGIT_INVALID', field, `${field} fails the NPI check digit`);
        }
        return text;
      case 'date': {
        const iso = parseDateInFormats(text, spec.format ?? 'YYYY-MM-DD', field);
        const range = this.dateRange;
        if (targetSpec.eventTimeCandidate && (iso < range.earliest || iso > range.latest)) {
          throw new SourceRecordError(
            'DATE_OUT_OF_RANGE',
            `${field} is outside the plausible service dates ${range.earliest} to ${range.latest}`,
          );
        }
        return iso;
      }
      case 'amount': {
        const cents = parseMoneyCents(text, field);
        if (cents < 0) this.finding('NEGATIVE_AMOUNT', field, `${field} is negative`);
        return cents;
      }
      case 'integer':
        return parseWholeNumber(text, field);
      case 'decimal':
        return parseDecimalNumber(text, field);
    }
  }
}

/** Splits and checks the rows of a record; orders them and finds the row with the claim-level fields. */
function readRows(layout: MappedLayout, binding: HeaderBinding, record: string): { rows: Row[]; head: Row } {
  const grouping = layout.definition.grouping;
  // A row's quoted field may hold a line break (QuotedRecordJoiner): only an LF outside quotes ends a row.
  const rows = splitRecordRows(record, layout.quote).map(
    (text, index): Row => ({ fields: layout.splitRecord(text), position: index + 1 }),
  );
  for (const row of rows) {
    readingRow(rows, row, () => {
      // Said before the column count: a spreadsheet's empty rows (",,,,,") are as many delimiters as it liked.
      if (holdsNoValue(row.fields)) throw new SourceRecordError('ROW_BLANK', ROW_BLANK_REASON);
      const headerOrder = binding.headerRowOrder(row.fields);
      if (headerOrder === 'same') throw new SourceRecordError('HEADER_REPEATED', HEADER_REPEATED_REASON);
      if (headerOrder === 'reordered') {
        throw new SourceRecordError(
          'HEADER_REPEATED',
          "the row is the file's header row with its columns in another order (files joined into one?): " +
            'it holds no claim, and the rows after it are read by the first header',
        );
      }
      if (!layout.fitsColumns(binding, row.fields.length)) {
        // The line reader ends a line at LF (or at CR for a file whose lines all end so): a file mixing both
        // hands on its CR-ended rows joined, each glued to the next.
        const hint = row.fields.some((field) => field.includes('\r'))
          ? ' (the row holds a carriage return: rows ending in CR alone, amid rows ending in LF?)'
          : '';
        throw new SourceRecordError(
          'COLUMN_COUNT_MISMATCH',
          `expected ${binding.columnCount} columns, found ${row.fields.length}${hint}`,
        );
      }
    });
  }
  if (grouping?.orderBy !== undefined) {
    const orderColumn = grouping.orderBy;
    const order = (row: Row): number => {
      const text = (row.fields[binding.indexOf(orderColumn)] ?? '').trim();
      return text === '' ? Number.MAX_SAFE_INTEGER : parseWholeNumber(text, orderColumn);
    };
    const keyed = rows.map((row) => ({ row, order: readingRow(rows, row, () => order(row)) }));
    keyed.sort((left, right) => left.order - right.order || left.row.position - right.row.position);
    rows.splice(0, rows.length, ...keyed.map(({ row }) => row));
  }
  let head = rows[0];
  const firstRow = grouping?.firstRow;
  if (firstRow !== undefined) {
    head = rows.find((row) => (row.fields[binding.indexOf(firstRow.column)] ?? '').trim() === firstRow.equals);
    if (head === undefined) {
      throw new SourceRecordError(
        'GROUP_FIRST_ROW_MISSING',
        `no row with ${firstRow.column} ${firstRow.equals}: a continuation row is only a claim together with ` +
          `its first row, and none was gathered with it`,
      );
    }
  }
  if (head === undefined) throw new SourceRecordError('COLUMN_COUNT_MISMATCH', 'the record has no rows');
  return { rows, head };
}

/** A code series' columns and code-system columns, named once per series rather than on every record. */
const CODE_SERIES_COLUMNS = new WeakMap<CodeSeries, { columns: string[]; systemColumns: string[] | null }>();

function codeSeriesColumns(series: CodeSeries): { columns: string[]; systemColumns: string[] | null } {
  let named = CODE_SERIES_COLUMNS.get(series);
  if (named === undefined) {
    named = {
      columns: expandNumbered(series.column, series.count),
      systemColumns: series.systemColumn === undefined ? null : expandNumbered(series.systemColumn, series.count),
    };
    CODE_SERIES_COLUMNS.set(series, named);
  }
  return named;
}

function readCodeSeries<System extends string>(
  reader: FieldReader,
  rows: readonly Row[],
  seriesList: readonly CodeSeries[] | undefined,
): Array<{ code: string; system: System }> {
  const codes: Array<{ code: string; system: System }> = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const series of seriesList ?? []) {
      const { columns, systemColumns } = codeSeriesColumns(series);
      columns.forEach((column, index) => {
        const code = reader.cell(row, column).toUpperCase();
        if (code === '') return;
        reader.holdToMaxLength(column, code);
        let system: string | undefined = series.system;
        const systemColumn = systemColumns?.[index];
        if (systemColumn !== undefined) {
          const stated = reader.cell(row, systemColumn);
          system = Object.entries(series.systems ?? {}).find(([from]) => from.trim() === stated)?.[1];
          if (system === undefined) {
            reader.finding('CODE_SYSTEM_UNKNOWN', systemColumn, `${systemColumn} names no known code system`);
            return;
          }
        }
        if (system === undefined || seen.has(`${system}|${code}`)) return;
        seen.add(`${system}|${code}`);
        // Only ICD-9-CM has a vendored list; ICD-10 codes are carried unchecked.
        if (series.codeList !== undefined && system === 'ICD-9-CM' && reader.isUnknownCode(series.codeList, code)) {
          reader.finding('CODE_UNKNOWN', column, `${column} is not in the ${series.codeList} code list`);
        }
        codes.push({ code, system: system as System });
      });
    }
  return codes;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

const asCents = (value: Value | null): number => (typeof value === 'number' ? value : 0);
const asText = (value: Value | null): string | null => (value === null ? null : String(value));
const asNumber = (value: Value | null): number | null => (typeof value === 'number' ? value : null);

/** Fails a mapped event its schema refuses, naming the paths only. */
function checked<Schema extends z.ZodType>(schema: Schema, event: z.output<Schema>): z.output<Schema> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const paths = [...new Set(result.error.issues.map((issue) => issue.path.join('.')))].slice(0, 5);
  throw new SourceRecordError('MAPPED_VALUE_INVALID', `the mapped event is invalid at ${paths.join(', ')}`);
}

type LinesSpec = NonNullable<MappedLayout['definition']['lines']>;

/** What a layout's lines read, worked out once per layout rather than on every record. */
interface LinesPlan {
  fields: ReadonlyArray<readonly [LineTarget, FieldSpec]>;
  /** A slot is a line when one of these holds a value other than blank or zero. */
  presentTargets: readonly LineTarget[];
  /** The slots of a row: each `{n}` of a repeated line, or the row itself. */
  slots: ReadonlyArray<number | undefined>;
}

const LINES_PLANS = new WeakMap<LinesSpec, LinesPlan>();

function linesPlanOf(spec: LinesSpec): LinesPlan {
  const known = LINES_PLANS.get(spec);
  if (known !== undefined) return known;
  const fields = Object.entries(spec.fields) as Array<[LineTarget, FieldSpec]>;
  const presentTargets = [
    ...new Set<LineTarget>(
      (spec.present as LineTarget[] | undefined) ??
        fields
          .filter(
            ([target, field]) =>
              field.value === undefined && target !== 'processingCategory' && target !== 'lineNumber',
          )
          .map(([target]) => target),
    ),
  ];
  const slots = spec.perRow ? [undefined] : Array.from({ length: spec.repeat ?? 0 }, (_, index) => index + 1);
  const plan = { fields, presentTargets, slots };
  LINES_PLANS.set(spec, plan);
  return plan;
}

/**
 * Runs the reading of one row of a record. A fault in a claim of several rows
 * is said with the row's place in the claim (as the source file orders them):
 * every row is dead-lettered with the same reason, and it names the one at fault.
 */
function readingRow<T>(rows: readonly Row[], row: Row, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SourceRecordError && rows.length > 1) {
      throw new SourceRecordError(error.code, `${error.message} in row ${row.position} of the claim`);
    }
    throw error;
  }
}

/** The line of one slot of a row, or null when the slot holds none; `nextNumber` when the source gives none. */
function lineOfSlot(
  reader: FieldReader,
  plan: LinesPlan,
  row: Row,
  slot: number | undefined,
  nextNumber: number,
): ClaimLine | null {
  const values = new Map<LineTarget, Value | null>();
  for (const [target, field] of plan.fields)
    values.set(target, reader.read(target, LINE_TARGETS[target], field, row, slot));
  // A slot is a line when a present target is non-blank; an amount must also be non-zero (an unused slot's 0.00).
  // A line number or a quantity of 0 is a value: the row is a line, renumbered below if its number is unusable.
  const present = plan.presentTargets.some((target) => {
    const value = values.get(target) ?? null;
    return value !== null && !(value === 0 && LINE_TARGETS[target].type === 'amount');
  });
  if (!present) return null;
  const get = (target: LineTarget): Value | null => values.get(target) ?? null;
  let processingCategory = get('processingCategory') as LineProcessingCategory | null;
  if (processingCategory === null) processingCategory = 'unknown';
  const line: ClaimLine = {
    lineNumber: asNumber(get('lineNumber')) ?? nextNumber,
    hcpcsCode: asText(get('hcpcsCode')),
    renderingNpi: asText(get('renderingNpi')),
    taxId: asText(get('taxId')),
    diagnosisCode: asText(get('diagnosisCode')),
    paymentAmountCents: asCents(get('paymentAmount')),
    allowedAmountCents: asCents(get('allowedAmount')),
    deductibleAmountCents: asCents(get('deductibleAmount')),
    coinsuranceAmountCents: asCents(get('coinsuranceAmount')),
    primaryPayerPaidAmountCents: asCents(get('primaryPayerPaidAmount')),
    processingIndicatorCode: asText(get('processingIndicatorCode')),
    processingCategory,
  };
  if (values.has('revenueCode')) line.revenueCode = asText(get('revenueCode'));
  if (values.has('chargeAmount')) line.chargeAmountCents = asNumber(get('chargeAmount'));
  if (values.has('serviceUnitCount')) line.serviceUnitCount = asNumber(get('serviceUnitCount'));
  if (values.has('placeOfServiceCode')) line.placeOfServiceCode = asText(get('placeOfServiceCode'));
  if (values.has('serviceDate')) line.serviceDate = asText(get('serviceDate'));
  if (values.has('ndcCode')) line.ndcCode = asText(get('ndcCode'));
  return line;
}

function mapLines(reader: FieldReader, layout: MappedLayout, rows: readonly Row[]): ClaimLine[] {
  const spec = layout.definition.lines;
  if (spec === undefined) return [];
  const plan = linesPlanOf(spec);
  const lines: ClaimLine[] = [];
  for (const row of rows) {
    // Once per row, not per slot: a row's slots share its place in the claim.
    readingRow(rows, row, () => {
      for (const slot of plan.slots) {
        const line = lineOfSlot(reader, plan, row, slot, lines.length + 1);
        if (line !== null) lines.push(line);
      }
    });
  }
  // Line numbers key claim line state: a repeated or unusable source number is renumbered, and said so.
  const numbers = new Set<number>();
  const usable = lines.every((line) => {
    const fresh = line.lineNumber >= 1 && line.lineNumber <= 32767 && !numbers.has(line.lineNumber);
    numbers.add(line.lineNumber);
    return fresh;
  });
  if (!usable) {
    reader.finding(
      'LINE_NUMBER_DUPLICATE',
      'lineNumber',
      'source line numbers repeat or are out of range: lines renumbered',
    );
    lines.forEach((line, index) => (line.lineNumber = index + 1));
  }
  return lines;
}

/**
 * A claim whose rows are its lines (a billing export) spans them: its service
 * dates are the earliest from date and the latest through date (else from
 * date) among its rows, where its first row alone spoke for all. Every row's
 * dates are read, so a row whose date is no date refuses the claim, as the
 * first row's would.
 */
function spanServiceDatesOverRows(
  reader: FieldReader,
  fields: MappedLayout['definition']['fields'],
  rows: readonly Row[],
  head: Row,
  values: Map<ClaimTarget, Value | null>,
): void {
  const read = (target: 'serviceFromDate' | 'serviceThroughDate', row: Row): string | null => {
    const spec = fields[target];
    if (spec === undefined) return null;
    const value = readingRow(rows, row, () => reader.read(target, CLAIM_TARGETS[target], spec, row));
    return value === null ? null : String(value);
  };
  let from = asText(values.get('serviceFromDate') ?? null);
  let through = asText(values.get('serviceThroughDate') ?? null) ?? from;
  for (const row of rows) {
    if (row === head) continue;
    const rowFrom = read('serviceFromDate', row);
    const rowThrough = read('serviceThroughDate', row) ?? rowFrom;
    if (rowFrom !== null && (from === null || rowFrom < from)) from = rowFrom;
    if (rowThrough !== null && (through === null || rowThrough > through)) through = rowThrough;
  }
  values.set('serviceFromDate', from);
  values.set('serviceThroughDate', through);
}

function mapClaim(
  layout: MappedLayout,
  raw: RawClaimRecord,
  reader: FieldReader,
  rows: readonly Row[],
  head: Row,
  options: MappingOptions,
): ClaimEvent {
  const fields = layout.definition.fields;
  const mapped = (target: ClaimTarget): boolean => fields[target] !== undefined;
  const values = new Map<ClaimTarget, Value | null>();
  readingRow(rows, head, () => {
    for (const [target, spec] of Object.entries(fields) as Array<[ClaimTarget, FieldSpec]>) {
      values.set(target, reader.read(target, CLAIM_TARGETS[target], spec, head));
    }
  });
  const get = (target: ClaimTarget): Value | null => values.get(target) ?? null;
  const perRow = layout.definition.lines?.perRow === true;
  if (perRow && rows.length > 1) spanServiceDatesOverRows(reader, fields, rows, head, values);
  const claimId = String(get('claimId'));
  const memberId = asText(get('memberId'));
  // A source that carries no member id at all (a billing export) is not flagged on every claim; a blank one is.
  if (memberId === null && mapped('memberId')) {
    reader.finding('MEMBER_ID_MISSING', fields.memberId?.column ?? 'memberId', 'member id is blank');
  }
  const serviceFromDate = String(get('serviceFromDate'));
  const serviceThroughDate = asText(get('serviceThroughDate')) ?? serviceFromDate;
  if (serviceThroughDate < serviceFromDate) {
    reader.finding(
      'SERVICE_DATES_REVERSED',
      fields.serviceThroughDate?.column ?? 'serviceThroughDate',
      'through date precedes from date',
    );
  }
  const receivedDate = asText(get('receivedDate'));
  if (receivedDate !== null && serviceFromDate > receivedDate) {
    reader.finding(
      'SERVICE_DATE_AFTER_RECEIVED',
      fields.serviceFromDate?.column ?? 'serviceFromDate',
      'service date is after the date the claim was received',
    );
  }

  const lines = mapLines(reader, layout, rows);
  const claimRenderingNpi = asText(get('renderingNpi'));
  if (claimRenderingNpi !== null) {
    // A claim-level rendering provider (a pended-queue export) renders every line that names none.
    for (const line of lines) line.renderingNpi ??= claimRenderingNpi;
  }
  const claim: Claim = {
    claimType: String(get('claimType')) as Claim['claimType'],
    patientToken: tokenizePatientId(memberId ?? `missing:${claimId}`, options.patientTokenKey),
    payer: String(get('payer')),
    serviceFromDate,
    serviceThroughDate,
    // A claim whose rows are its lines lists every line's diagnosis; one whose rows are segments, its first row's.
    diagnoses: readCodeSeries<'ICD-9-CM' | 'ICD-10-CM'>(reader, perRow ? rows : [head], layout.definition.diagnoses),
    lines,
    totals: {
      paymentAmountCents: asNumber(get('paymentAmount')) ?? sum(lines.map((line) => line.paymentAmountCents)),
      allowedAmountCents: asNumber(get('allowedAmount')) ?? sum(lines.map((line) => line.allowedAmountCents)),
    },
  };
  const optionalText = (target: ClaimTarget, assign: (value: string | null) => void): void => {
    if (mapped(target)) assign(asText(get(target)));
  };
  optionalText('billType', (value) => (claim.billType = value));
  optionalText('drgCode', (value) => (claim.drgCode = value));
  optionalText('facilityCcn', (value) => (claim.facilityCcn = value));
  optionalText('facilityNpi', (value) => (claim.facilityNpi = value));
  optionalText('billingNpi', (value) => (claim.billingNpi = value));
  optionalText('attendingNpi', (value) => (claim.attendingNpi = value));
  optionalText('operatingNpi', (value) => (claim.operatingNpi = value));
  optionalText('providerGroup', (value) => (claim.providerGroup = value));
  optionalText('admissionDate', (value) => (claim.admissionDate = value));
  optionalText('dischargeDate', (value) => (claim.dischargeDate = value));
  optionalText('receivedDate', (value) => (claim.receivedDate = value));
  optionalText('clearDate', (value) => (claim.clearDate = value));
  const lineCharges = lines.flatMap((line) =>
    typeof line.chargeAmountCents === 'number' ? [line.chargeAmountCents] : [],
  );
  if (mapped('billedAmount')) claim.billedAmountCents = asNumber(get('billedAmount'));
  else if (lineCharges.length > 0) claim.billedAmountCents = sum(lineCharges);
  if (mapped('sourceOperation')) claim.sourceOperation = asText(get('sourceOperation')) as Claim['sourceOperation'];
  if (layout.definition.procedures !== undefined) {
    claim.procedures = readCodeSeries<'ICD-9-CM' | 'ICD-10-PCS'>(
      reader,
      perRow ? rows : [head],
      layout.definition.procedures,
    );
  }
  if (mapped('renderingNpi') || mapped('renderingProviderFirstName') || mapped('renderingProviderLastName')) {
    claim.renderingProvider = {
      npi: claimRenderingNpi,
      firstName: asText(get('renderingProviderFirstName')),
      lastName: asText(get('renderingProviderLastName')),
    };
  }
  const locationTargets: ClaimTarget[] = [
    'serviceLocationName',
    'serviceLocationAddress1',
    'serviceLocationCity',
    'serviceLocationState',
    'serviceLocationZip',
  ];
  if (locationTargets.some(mapped)) {
    claim.serviceLocation = {
      name: asText(get('serviceLocationName')),
      address1: asText(get('serviceLocationAddress1')),
      city: asText(get('serviceLocationCity')),
      state: asText(get('serviceLocationState')),
      zip: asText(get('serviceLocationZip')),
    };
  }
  if (mapped('drugNdc') || mapped('drugQuantity') || mapped('drugDaysSupply')) {
    claim.drug = {
      ndcCode: asText(get('drugNdc')),
      quantityDispensed: asNumber(get('drugQuantity')),
      daysSupply: asNumber(get('drugDaysSupply')),
    };
  }
  if (mapped('claimStatus') || mapped('adjudicationStatus') || mapped('paidAmount') || mapped('paidDate')) {
    claim.adjudication = {
      sourceStatus: asText(get('claimStatus')),
      status: asText(get('adjudicationStatus')) as NonNullable<Claim['adjudication']>['status'],
      paidAmountCents: mapped('paidAmount') ? asNumber(get('paidAmount')) : claim.totals.paymentAmountCents,
      paidDate: asText(get('paidDate')),
    };
  }
  if (mapped('pendReason') || mapped('pendQueue') || mapped('pendComments')) {
    claim.pend = {
      reason: asText(get('pendReason')),
      queue: asText(get('pendQueue')),
      comments: asText(get('pendComments')),
    };
  }

  // The latest of the listed dates the row states: a row's event happened when the last thing it reports did.
  // A pended-queue row cleared "before" it was received (a source inconsistency, read as a same-day clear)
  // is dated by its received date, so it still supersedes the row of an earlier export that had it waiting.
  let occurredAt: string | null = null;
  for (const target of layout.definition.occurredAt ?? ['serviceThroughDate']) {
    const date = target === 'serviceThroughDate' ? serviceThroughDate : asText(get(target));
    if (date !== null && (occurredAt === null || date > occurredAt)) occurredAt = date;
  }
  occurredAt ??= serviceThroughDate;
  return checked(ClaimEventSchema, {
    schemaVersion: lineageSchemaVersion(raw.lineage, 2),
    eventId: derivedEventId('claims.normalized', raw.eventId),
    eventType: String(get('eventType')) as ClaimEvent['eventType'],
    occurredAt,
    claimId,
    rawEventId: raw.eventId,
    layout: layout.name,
    lineage: raw.lineage,
    publishedAt: raw.publishedAt,
    claim,
    dataQuality: reader.findings,
  });
}

function mapMember(
  layout: MappedLayout,
  raw: RawClaimRecord,
  reader: FieldReader,
  row: Row,
  options: MappingOptions,
): MemberReferenceEvent {
  const fields = layout.definition.fields;
  const values = new Map<MemberTarget, Value | null>();
  for (const [target, spec] of Object.entries(fields) as Array<[MemberTarget, FieldSpec]>) {
    values.set(target, reader.read(target, MEMBER_TARGETS[target], spec, row));
  }
  const get = (target: MemberTarget): Value | null => values.get(target) ?? null;
  const chronicConditions: Record<string, boolean> = {};
  const conditions = layout.definition.chronicConditions;
  for (const [condition, column] of Object.entries(conditions?.flags ?? {})) {
    const flag = reader.cell(row, column);
    if (flag === '') continue;
    if (conditions?.yes.includes(flag)) chronicConditions[condition] = true;
    else if (conditions?.no.includes(flag)) chronicConditions[condition] = false;
    else reader.finding('CODE_UNTRANSLATED', column, `${column} holds a value the layout does not translate`);
  }
  const referenceYear = asNumber(get('referenceYear'));
  return checked(MemberReferenceEventSchema, {
    schemaVersion: 1,
    // The year belongs to the identity: a DE-SynPUF member's row can be byte-identical across years,
    // the year standing only in the file name.
    eventId: deriveEventId('reference.members', raw.eventId, String(referenceYear ?? 'undated')),
    rawEventId: raw.eventId,
    layout: layout.name,
    lineage: raw.lineage,
    publishedAt: raw.publishedAt,
    member: {
      patientToken: tokenizePatientId(String(get('memberId')), options.patientTokenKey),
      referenceYear,
      birthDate: asText(get('birthDate')),
      deathDate: asText(get('deathDate')),
      sex: asText(get('sex')) as MemberReferenceEvent['member']['sex'],
      raceCode: asText(get('raceCode')),
      ssaStateCode: asText(get('ssaStateCode')),
      ssaCountyCode: asText(get('ssaCountyCode')),
      coverageMonths: {
        partA: asNumber(get('coverageMonthsPartA')),
        partB: asNumber(get('coverageMonthsPartB')),
        hmo: asNumber(get('coverageMonthsHmo')),
        partD: asNumber(get('coverageMonthsPartD')),
      },
      chronicConditions,
      sourceOperation: asText(get('sourceOperation')) as MemberReferenceEvent['member']['sourceOperation'],
    },
    dataQuality: reader.findings,
  });
}

/**
 * Maps a raw record of a mapped layout (one row, or the rows of one
 * claim) to its canonical event. @throws SourceRecordError when it cannot be trusted.
 */
export function normalizeMappedRecord(
  layout: MappedLayout,
  raw: RawClaimRecord,
  options: MappingOptions,
): NormalizedSourceRecord {
  if (raw.header === undefined || raw.header === null) {
    throw new SourceRecordError(
      'HEADER_MISMATCH',
      `layout ${layout.name} reads columns by name, and the raw event has no header row`,
    );
  }
  const binding = layout.bindHeader(raw.header);
  const { rows, head } = readRows(layout, binding, raw.record);
  const reader = new FieldReader(layout, binding, raw.lineage.source, options);
  if (layout.kind === 'member_reference') {
    return { kind: 'member_reference', event: mapMember(layout, raw, reader, head, options) };
  }
  return { kind: 'claim', event: mapClaim(layout, raw, reader, rows, head, options) };
}
