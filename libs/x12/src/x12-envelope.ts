import { X12Error, tagForReason } from './x12.errors';
import type { X12Segment, X12Separators, X12Token } from './x12-segments';

/** What a transaction set needs from its envelope to be read on its own. */
export interface X12EnvelopeContext {
  separators: X12Separators;
  /** ISA13. */
  interchangeControlNumber: string;
  /** ISA06 and ISA08 (trimmed): trading partners, not people. */
  senderId: string;
  receiverId: string;
  /** ISA15: P production, T test. */
  usageIndicator: string;
  /** GS01 (HC claims, HP remittances, FA acknowledgements, HN claim status). */
  functionalIdentifierCode: string;
  /** GS06. */
  groupControlNumber: string;
  /** GS08: the version, release and implementation guide (005010X222A1). */
  groupVersion: string;
  /** GS04, CCYYMMDD as written: when the sender built the group (dates an acknowledgement). */
  groupDate: string;
}

export interface X12TransactionSet {
  /** 1-based ordinal of the record in the input: the ST's ordinal, or a stray error's. */
  recordNumber: number;
  /** ST01 (837, 835, 999, 277). */
  transactionSetId: string;
  /** ST02. */
  controlNumber: string;
  /** ST03 when present (required from 005010 on), else GS08. */
  implementationReference: string;
  /** ST to SE inclusive. */
  segments: X12Segment[];
  envelope: X12EnvelopeContext;
}

export type X12EnvelopeScope = 'interchange' | 'group' | 'transaction' | 'segment';

export interface X12EnvelopeFailure {
  scope: X12EnvelopeScope;
  error: X12Error;
  /** 1-based ordinals of the interchange and group the failure lies in (0 when none). */
  interchangeOrdinal: number;
  groupOrdinal: number;
}

/**
 * What the splitter hands on: a transaction set that passed its envelope
 * checks, or a failure with the record it stands for. `transaction` is set
 * on a failure that fails a transaction set (its own or its envelope's); a
 * failure with no transaction set to blame (a stray segment, an empty
 * broken group) stands alone. `record` is the text its dead letter carries,
 * so an analyst sees what failed: the set's text, else the segment the
 * failure names (a stray segment, an SE without its ST, a trailer whose count
 * is wrong), each segment followed by its terminator; empty only when the
 * failure has no segment of its own (unreadable separators, the input ending).
 */
export type X12EnvelopeItem =
  | { kind: 'transaction'; transaction: X12TransactionSet }
  | {
      kind: 'failure';
      failure: X12EnvelopeFailure;
      recordNumber: number;
      transaction: X12TransactionSet | null;
      record: string;
    };

/** The interchanges and groups of an input that fail as a whole, found by a first pass over it. */
export interface X12EnvelopeVerdicts {
  interchanges: ReadonlyMap<number, X12EnvelopeFailure>;
  groups: ReadonlyMap<number, X12EnvelopeFailure>;
}

export interface X12SplitOptions {
  /**
   * From `x12EnvelopeVerdictsOf` over the same input: the transaction sets of
   * an interchange or group that fails as a whole are failed with it.
   * Without them a trailer error is only found after the transaction sets
   * before it went out, and is reported on its own (single-pass mode).
   */
  verdicts?: X12EnvelopeVerdicts;
  /** A transaction set over this many characters is failed rather than held (its segments are still counted). */
  maxTransactionChars?: number;
}

interface OpenInterchange {
  ordinal: number;
  isa: X12Segment;
  groups: number;
}
interface OpenGroup {
  ordinal: number;
  gs: X12Segment;
  transactions: number;
}
interface OpenTransaction {
  recordNumber: number;
  st: X12Segment;
  segments: X12Segment[];
  segmentCount: number;
  chars: number;
  tooLarge: boolean;
  /** An overlong segment inside it (X12_SEGMENT_TOO_LONG): the set fails with it, whatever its trailer says. */
  damage: X12Error | null;
  /** Blank where the interchange or group is missing: the set then fails, its bytes still its dead letter's. */
  envelope: X12EnvelopeContext;
  /** Whether an interchange and a functional group enclose it. */
  enveloped: boolean;
}

const at = (segment: X12Segment, elementPosition: number) => ({ segmentNumber: segment.number, elementPosition });
const segmentText = (segment: X12Segment): string => segment.text + segment.separators.segment;
const element = (segment: X12Segment, position: number): string => (segment.elements[position] ?? '').trim();
/**
 * A trailer's count as a reason shows it: a number of at most 10 digits (N0 1/10), else that there is none; text
 * a damaged trailer holds instead is never repeated.
 */
const countForReason = (declared: string): string =>
  declared === '' ? 'nothing' : /^\d{1,10}$/.test(declared) ? declared : 'no count of';

/**
 * The envelope state machine: ISA/IEA, GS/GE and ST/SE pairing, control
 * numbers, SE segment counts, GE transaction counts and IEA group counts
 * (X12.5/X12.6, and the 005010 implementation guides' appendix B). A broken
 * envelope fails only what it encloses; reading goes on with the next
 * transaction set, group or interchange.
 */
export class X12EnvelopeReader {
  private interchange: OpenInterchange | null = null;
  private group: OpenGroup | null = null;
  private transaction: OpenTransaction | null = null;
  private interchanges = 0;
  private groups = 0;
  private records = 0;
  /** Failures of the envelope currently open, found in this pass (so each is reported once). */
  private interchangeFailed = false;
  private groupFailed = false;
  readonly failedInterchanges = new Map<number, X12EnvelopeFailure>();
  readonly failedGroups = new Map<number, X12EnvelopeFailure>();

  constructor(private readonly options: X12SplitOptions = {}) {}

  push(token: X12Token): X12EnvelopeItem[] {
    const out: X12EnvelopeItem[] = [];
    if (token.kind === 'syntax_error') {
      const error = token.error;
      if (error.code === 'X12_SEGMENT_TOO_LONG') return this.overlongSegment(error);
      // Other damage (unreadable separators, a cut-off input) ends whatever was open: nothing after it can be trusted.
      if (this.transaction) this.failTransaction(out, error);
      if (this.group) this.failGroup(out, error);
      if (this.interchange) this.failInterchange(out, error);
      else this.stray(out, 'interchange', error);
      this.interchange = null;
      this.group = null;
      return out;
    }
    const segment = token.segment;
    switch (segment.tag) {
      case 'ISA':
        this.closeInterchange(out, segment, 'a new ISA began before the IEA of the interchange before it');
        this.interchanges += 1;
        this.interchange = { ordinal: this.interchanges, isa: segment, groups: 0 };
        this.interchangeFailed = false;
        return out;
      case 'GS':
        this.closeGroup(out, segment, 'a new GS began before the GE of the group before it');
        if (!this.interchange) {
          const error = new X12Error('X12_ENVELOPE_INVALID', 'GS outside an interchange', at(segment, 0));
          this.stray(out, 'group', error, segmentText(segment));
        } else this.interchange.groups += 1;
        this.groups += 1;
        this.group = { ordinal: this.groups, gs: segment, transactions: 0 };
        this.groupFailed = false;
        return out;
      case 'ST':
        this.closeTransaction(out, segment, 'a new ST began before the SE of the transaction set before it');
        this.records += 1;
        if (this.group) this.group.transactions += 1;
        this.transaction = {
          recordNumber: this.records,
          st: segment,
          segments: [segment],
          segmentCount: 1,
          chars: segment.text.length + 1,
          tooLarge: false,
          damage: null,
          envelope: this.contextFor(segment),
          enveloped: this.interchange !== null && this.group !== null,
        };
        return out;
      case 'SE':
        if (!this.transaction) {
          const error = new X12Error('X12_ENVELOPE_INVALID', 'SE without its ST', at(segment, 0));
          this.stray(out, 'transaction', error, segmentText(segment));
          return out;
        }
        this.addToTransaction(segment);
        this.endTransaction(out, segment);
        return out;
      case 'GE':
        this.closeTransaction(out, segment, 'GE came before the SE of the open transaction set');
        this.endGroup(out, segment);
        return out;
      case 'IEA':
        this.closeTransaction(out, segment, 'IEA came before the SE of the open transaction set');
        this.closeGroup(out, segment, 'IEA came before the GE of the open group');
        this.endInterchange(out, segment);
        return out;
      case 'TA1':
        // X12.5 puts the interchange acknowledgement between the ISA and the first GS: envelope, answering an
        // interchange sent before. No KPI folds it, so it is read past as the ISA is; anywhere else it is damage.
        if (this.interchange && !this.group && !this.transaction && this.interchange.groups === 0) return out;
        this.bodySegment(out, segment);
        return out;
      default:
        this.bodySegment(out, segment);
        return out;
    }
  }

  /** A segment that is no envelope's: the open transaction set's, else a stray of its own. */
  private bodySegment(out: X12EnvelopeItem[], segment: X12Segment): void {
    if (this.transaction) {
      this.addToTransaction(segment);
      return;
    }
    const error = new X12Error(
      'X12_ENVELOPE_INVALID',
      `segment ${tagForReason(segment.tag.slice(0, 3))} outside a transaction set`,
      at(segment, 0),
    );
    this.stray(out, 'segment', error, segmentText(segment));
  }

  /** The input ended: whatever is still open lacks its trailer. */
  end(lastSegmentNumber: number): X12EnvelopeItem[] {
    const out: X12EnvelopeItem[] = [];
    const location = { segmentNumber: lastSegmentNumber + 1, elementPosition: 0 };
    if (this.transaction) {
      this.failTransaction(out, new X12Error('X12_ENVELOPE_INVALID', 'the input ends before SE', location));
    }
    if (this.group) this.failGroup(out, new X12Error('X12_ENVELOPE_INVALID', 'the input ends before GE', location));
    if (this.interchange) {
      this.failInterchange(out, new X12Error('X12_ENVELOPE_INVALID', 'the input ends before IEA', location));
    }
    this.transaction = null;
    this.group = null;
    this.interchange = null;
    return out;
  }

  /** What the open interchange and group say of a transaction set; blank for the one that is missing. */
  private contextFor(st: X12Segment): X12EnvelopeContext {
    const isa = this.interchange?.isa;
    const gs = this.group?.gs;
    const of = (segment: X12Segment | undefined, position: number): string =>
      segment ? element(segment, position) : '';
    return {
      separators: st.separators,
      interchangeControlNumber: of(isa, 13),
      senderId: of(isa, 6),
      receiverId: of(isa, 8),
      usageIndicator: of(isa, 15),
      functionalIdentifierCode: of(gs, 1),
      groupControlNumber: of(gs, 6),
      groupVersion: of(gs, 8),
      groupDate: of(gs, 4),
    };
  }

  /**
   * The tokenizer skipped an overlong segment up to its terminator, so the
   * segments around it are whole: only what holds it fails. Inside a
   * transaction set it counts as one of the set's segments and fails the set
   * when it closes (one record, one dead letter), whether its SE comes or a
   * lost terminator swallowed it; elsewhere it is a stray segment of its own.
   * The group and interchange read on, their trailers checked as usual.
   */
  private overlongSegment(error: X12Error): X12EnvelopeItem[] {
    const open = this.transaction;
    if (open) {
      open.segmentCount += 1;
      open.damage ??= error;
      return [];
    }
    const out: X12EnvelopeItem[] = [];
    this.stray(out, 'segment', error);
    return out;
  }

  private addToTransaction(segment: X12Segment): void {
    const open = this.transaction;
    if (!open) return;
    open.segmentCount += 1;
    if (open.tooLarge) return;
    open.chars += segment.text.length + 1;
    const limit = this.options.maxTransactionChars;
    if (limit !== undefined && open.chars > limit) {
      // Counted on, held no more: its SE is still checked, its bytes go to no one.
      open.tooLarge = true;
      open.segments = [open.st];
    } else open.segments.push(segment);
  }

  private transactionOf(open: OpenTransaction): X12TransactionSet {
    return {
      recordNumber: open.recordNumber,
      transactionSetId: element(open.st, 1),
      controlNumber: element(open.st, 2),
      implementationReference: element(open.st, 3) || open.envelope.groupVersion,
      segments: open.segments,
      envelope: open.envelope,
    };
  }

  private endTransaction(out: X12EnvelopeItem[], se: X12Segment): void {
    const open = this.transaction;
    if (!open) return;
    this.transaction = null;
    if (open.damage) return this.failOpen(out, open, open.damage);
    const declared = element(se, 1);
    const stControl = element(open.st, 2);
    if (!/^\d+$/.test(declared) || Number(declared) !== open.segmentCount) {
      const error = new X12Error(
        'X12_ENVELOPE_INVALID',
        `SE01 says ${countForReason(declared)} segments, the transaction set has ${open.segmentCount}`,
        at(se, 1),
      );
      return this.failOpen(out, open, error);
    }
    if (element(se, 2) !== stControl) {
      const error = new X12Error('X12_ENVELOPE_INVALID', 'SE02 does not match ST02', at(se, 2));
      return this.failOpen(out, open, error);
    }
    if (!open.enveloped) {
      const error = new X12Error('X12_ENVELOPE_INVALID', 'ST outside a functional group', at(open.st, 0));
      return this.failOpen(out, open, error);
    }
    if (open.tooLarge) {
      const limit = this.options.maxTransactionChars ?? 0;
      const error = new X12Error(
        'X12_SEGMENT_TOO_LONG',
        `the transaction set is over ${limit} characters`,
        at(open.st, 0),
      );
      return this.failOpen(out, open, error);
    }
    const transaction = this.transactionOf(open);
    const enclosing = this.enclosingFailure();
    if (enclosing) out.push(this.transactionFailure(enclosing, open.recordNumber, transaction));
    else out.push({ kind: 'transaction', transaction });
  }

  /** The verdict of a first pass on the interchange or group now open, if it fails as a whole. */
  private enclosingFailure(): X12EnvelopeFailure | null {
    const verdicts = this.options.verdicts;
    if (!verdicts) return null;
    return (
      (this.interchange ? verdicts.interchanges.get(this.interchange.ordinal) : undefined) ??
      (this.group ? verdicts.groups.get(this.group.ordinal) : undefined) ??
      null
    );
  }

  private failOpen(out: X12EnvelopeItem[], open: OpenTransaction, error: X12Error): void {
    const failure = this.failureAt('transaction', error);
    out.push(this.transactionFailure(failure, open.recordNumber, this.transactionOf(open)));
  }

  private transactionFailure(
    failure: X12EnvelopeFailure,
    recordNumber: number,
    transaction: X12TransactionSet,
  ): X12EnvelopeItem {
    return { kind: 'failure', failure, recordNumber, transaction, record: transactionSetText(transaction) };
  }

  private failureAt(scope: X12EnvelopeScope, error: X12Error): X12EnvelopeFailure {
    return {
      scope,
      error,
      interchangeOrdinal: this.interchange?.ordinal ?? 0,
      groupOrdinal: this.group?.ordinal ?? 0,
    };
  }

  private closeTransaction(out: X12EnvelopeItem[], next: X12Segment, why: string): void {
    if (this.transaction) this.failTransaction(out, new X12Error('X12_ENVELOPE_INVALID', why, at(next, 0)));
  }

  private failTransaction(out: X12EnvelopeItem[], error: X12Error): void {
    const open = this.transaction;
    if (!open) return;
    this.transaction = null;
    this.failOpen(out, open, open.damage ?? error);
  }

  private endGroup(out: X12EnvelopeItem[], ge: X12Segment): void {
    const open = this.group;
    if (!open) {
      this.stray(out, 'group', new X12Error('X12_ENVELOPE_INVALID', 'GE without its GS', at(ge, 0)), segmentText(ge));
      return;
    }
    const declared = element(ge, 1);
    if (!/^\d+$/.test(declared) || Number(declared) !== open.transactions) {
      const why = `GE01 says ${countForReason(declared)} transaction sets, the group has ${open.transactions}`;
      this.failGroup(out, new X12Error('X12_ENVELOPE_INVALID', why, at(ge, 1)), segmentText(ge));
    } else if (element(ge, 2) !== element(open.gs, 6)) {
      this.failGroup(out, new X12Error('X12_ENVELOPE_INVALID', 'GE02 does not match GS06', at(ge, 2)), segmentText(ge));
    }
    this.group = null;
  }

  private closeGroup(out: X12EnvelopeItem[], next: X12Segment, why: string): void {
    if (!this.group) return;
    this.failGroup(out, new X12Error('X12_ENVELOPE_INVALID', why, at(next, 0)));
    this.group = null;
  }

  private failGroup(out: X12EnvelopeItem[], error: X12Error, record = ''): void {
    if (!this.group || this.groupFailed) return;
    this.groupFailed = true;
    const failure = this.failureAt('group', error);
    this.failedGroups.set(this.group.ordinal, failure);
    // With verdicts, its transaction sets were failed as they closed; an empty group still reports.
    if (!this.options.verdicts || this.group.transactions === 0) this.pushStray(out, failure, record);
  }

  private endInterchange(out: X12EnvelopeItem[], iea: X12Segment): void {
    const open = this.interchange;
    if (!open) {
      const error = new X12Error('X12_ENVELOPE_INVALID', 'IEA without its ISA', at(iea, 0));
      this.stray(out, 'interchange', error, segmentText(iea));
      return;
    }
    const declared = element(iea, 1);
    if (!/^\d+$/.test(declared) || Number(declared) !== open.groups) {
      const why = `IEA01 says ${countForReason(declared)} functional groups, the interchange has ${open.groups}`;
      this.failInterchange(out, new X12Error('X12_ENVELOPE_INVALID', why, at(iea, 1)), segmentText(iea));
    } else if (element(iea, 2) !== element(open.isa, 13)) {
      const error = new X12Error('X12_ENVELOPE_INVALID', 'IEA02 does not match ISA13', at(iea, 2));
      this.failInterchange(out, error, segmentText(iea));
    }
    this.interchange = null;
  }

  private closeInterchange(out: X12EnvelopeItem[], next: X12Segment, why: string): void {
    this.closeTransaction(out, next, why);
    this.closeGroup(out, next, why);
    if (!this.interchange) return;
    this.failInterchange(out, new X12Error('X12_ENVELOPE_INVALID', why, at(next, 0)));
    this.interchange = null;
  }

  private failInterchange(out: X12EnvelopeItem[], error: X12Error, record = ''): void {
    if (!this.interchange || this.interchangeFailed) return;
    this.interchangeFailed = true;
    const failure = this.failureAt('interchange', error);
    this.failedInterchanges.set(this.interchange.ordinal, failure);
    if (!this.options.verdicts || this.interchange.groups === 0) this.pushStray(out, failure, record);
  }

  private stray(out: X12EnvelopeItem[], scope: X12EnvelopeScope, error: X12Error, record = ''): void {
    this.pushStray(out, this.failureAt(scope, error), record);
  }

  /** A failure with no transaction set of its own: a record of its own, so it is counted and dead-lettered. */
  private pushStray(out: X12EnvelopeItem[], failure: X12EnvelopeFailure, record: string): void {
    this.records += 1;
    out.push({ kind: 'failure', failure, recordNumber: this.records, transaction: null, record });
  }
}

/**
 * Splits an interchange stream into transaction sets, each with the envelope
 * context needed to read it alone, and failures located by segment and
 * element. Memory holds one transaction set at a time.
 */
export async function* x12TransactionSetsOf(
  tokens: AsyncIterable<X12Token>,
  options: X12SplitOptions = {},
): AsyncGenerator<X12EnvelopeItem, void, undefined> {
  const reader = new X12EnvelopeReader(options);
  let last = 0;
  for await (const token of tokens) {
    last = token.kind === 'segment' ? token.segment.number : (token.error.location?.segmentNumber ?? last);
    yield* reader.push(token);
  }
  yield* reader.end(last);
}

/**
 * A first pass: which interchanges and groups fail as a whole (their
 * trailers disagree or are missing). Only the failures are kept, so the pass
 * runs in constant memory; the second pass fails their transaction sets.
 */
export async function x12EnvelopeVerdictsOf(tokens: AsyncIterable<X12Token>): Promise<X12EnvelopeVerdicts> {
  const reader = new X12EnvelopeReader({ maxTransactionChars: 0 });
  let last = 0;
  for await (const token of tokens) {
    last = token.kind === 'segment' ? token.segment.number : (token.error.location?.segmentNumber ?? last);
    reader.push(token);
  }
  reader.end(last);
  return { interchanges: reader.failedInterchanges, groups: reader.failedGroups };
}

/** A transaction set's text as one record: its segments, each followed by the interchange's own terminator. */
export function transactionSetText(transaction: Pick<X12TransactionSet, 'segments' | 'envelope'>): string {
  const terminator = transaction.envelope.separators.segment;
  let text = '';
  for (const segment of transaction.segments) text += segment.text + terminator;
  return text;
}
