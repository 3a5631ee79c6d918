import { createHash, type Hash } from 'node:crypto';
import { TextDecoder } from 'node:util';

const LF = 0x0a;
const CR = 0x0d;
/** The quote character of every quoting layout (`quote: '"'`); a RIF extract's quote is data, and its lines end in LF. */
const DOUBLE_QUOTE = 0x22;
const UTF8_BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);
/** The most byte-order marks dropped at a file's start: enough for a file saved again, bounded so the probe is. */
const MAX_LEADING_BYTE_ORDER_MARKS = 4;
/** Carriage returns pending at a line's end are materialised in slices of this size, never all at once. */
const CARRIAGE_RETURN_SLICE_BYTES = 64 * 1024;
const DEFAULT_PREFIX_BYTES = 64 * 1024;
/** How much of a file's start decides whether its lines end in CR alone (withLoneCarriageReturnsAsLineFeeds). */
const LINE_ENDING_PROBE_BYTES = 64 * 1024;
/**
 * Excel's separator directive as a file's first line (`sep=,`, `sep=;`),
 * ending in LF after any CRs: a hint to the spreadsheet, not a row.
 */
const SEPARATOR_DIRECTIVE = /^sep=[^\r\n]\r*\n/i;
/** The most bytes a separator directive line takes before its LF is expected (`sep=,` and a few CRs). */
const SEPARATOR_DIRECTIVE_PROBE_BYTES = 16;

/**
 * One line of a source file, line ending (LF, CRLF or CR…CRLF) removed. A
 * line is either text, or too large to hold (only its first bytes, size and
 * SHA-256 are kept), or bytes that are not text; the reader never throws on
 * content, so one bad line cannot stop a file.
 */
export type SourceLine =
  | {
      kind: 'line';
      text: string;
      /** The line's bytes: a view into the read chunk, not a copy (keeping it keeps the chunk alive). */
      bytes: Buffer;
    }
  | {
      kind: 'too_large';
      /** The line's first bytes (a copy, at most `prefixBytes`). */
      prefix: Buffer;
      /** The whole line's size in bytes. */
      byteLength: number;
      /** SHA-256 (hex) of the whole line's bytes. */
      sha256: string;
    }
  | {
      kind: 'not_text';
      /**
       * `invalid_utf8`: bytes no UTF-8 decoder reads. `nul_character`: valid
       * UTF-8 holding U+0000, which is damage in a text export, not data, and
       * which no Postgres text or jsonb value can hold: a record carrying it
       * past the front door would be refused by every store downstream.
       */
      cause: NotTextCause;
      /** The line's bytes (at most `maxLineBytes`): a view into the read chunk, not a copy. */
      bytes: Buffer;
    };

export type NotTextCause = 'invalid_utf8' | 'nul_character';

/** What a `not_text` line's cause means, for a dead letter's reason or a refusal. */
export const NOT_TEXT_REASONS: Readonly<Record<NotTextCause, string>> = {
  invalid_utf8: 'is not UTF-8 text',
  nul_character: 'holds a NUL character (U+0000), which is not text',
};

/**
 * Whether decoded text holds U+0000 (NOT_TEXT_REASONS.nul_character): for
 * text that reaches a stage already decoded (an X12 transaction set, a raw
 * event a feed published itself, a reference row), where the line reader's
 * byte scan did not see it.
 */
export function holdsNulCharacter(text: string): boolean {
  return text.includes('\u0000');
}

/**
 * Whether decoded text holds U+FFFD, the character a lenient UTF-8 decoder
 * reads in place of bytes that are not UTF-8 (NOT_TEXT_REASONS.invalid_utf8):
 * for text decoded as a stream (an X12 file), where the original bytes are
 * gone by the time a record is cut from it. No source's character set needs
 * the character itself.
 */
export function holdsUndecodableBytes(text: string): boolean {
  return text.includes('\uFFFD');
}

export interface LineLimits {
  /** A line over this many bytes (its line ending aside) is reported `too_large` instead of being held whole. */
  maxLineBytes: number;
  /** How many first bytes of a too-large line are kept; at most 64 KiB by default. */
  prefixBytes?: number;
}

/**
 * Splits a byte stream into lines in bounded memory: at most one read chunk,
 * one line of `maxLineBytes` and one prefix are held, whatever the longest
 * line of the input (a 200 MB line is hashed as it passes, never buffered).
 * The consumer's `await` between lines is the back-pressure that keeps a
 * 1 GB file in constant memory.
 *
 * Every trailing CR of a line is dropped (exports that write CR CR LF exist),
 * and so are the UTF-8 byte-order marks at the very start of the input, and a
 * first line that is Excel's separator directive (`sep=,`: a CSV saved for
 * Excel, whose header row is then the second line). Each line
 * is decoded on its own by a fatal UTF-8 decoder, so a multi-byte character
 * split across read chunks decodes whole, and invalid bytes are reported as
 * `not_text` rather than silently replaced by U+FFFD; so is a line holding a
 * NUL byte.
 */
export async function* boundedLinesOf(
  chunks: AsyncIterable<Uint8Array>,
  limits: LineLimits,
): AsyncGenerator<SourceLine, void, undefined> {
  const maxLineBytes = limits.maxLineBytes;
  const prefixBytes = Math.min(limits.prefixBytes ?? DEFAULT_PREFIX_BYTES, maxLineBytes);
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new RangeError('maxLineBytes must be a positive integer');
  }
  if (!Number.isSafeInteger(prefixBytes) || prefixBytes < 0) {
    throw new RangeError('prefixBytes must be a non-negative integer');
  }
  // ignoreBOM keeps a U+FEFF inside the file as text: only the file's first one is a byte-order mark.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const spanning = new LineAcrossChunks(maxLineBytes, prefixBytes);

  const text = withoutSeparatorDirective(
    withLoneCarriageReturnsAsLineFeeds(withoutByteOrderMark(withUtf16AsUtf8(chunks))),
  );
  for await (const chunk of text) {
    let start = 0;
    let newline = chunk.indexOf(LF, start);
    while (newline !== -1) {
      if (spanning.isEmpty) {
        // The common case: the whole line sits in this chunk and is read without a copy.
        yield completeLine(chunk.subarray(start, newline), maxLineBytes, prefixBytes, decoder);
      } else {
        spanning.append(chunk.subarray(start, newline));
        yield spanning.finish(decoder);
      }
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) spanning.append(chunk.subarray(start));
  }
  if (!spanning.isEmpty) yield spanning.finish(decoder);
}

/**
 * Text lines of a trusted input (a generated benchmark file): the same reader
 * as {@link boundedLinesOf}, but a line that is too large or not UTF-8 throws.
 * Source files from outside go through `boundedLinesOf`, which dead-letters
 * such lines instead.
 */
export async function* linesOf(
  chunks: AsyncIterable<Uint8Array>,
  limits: LineLimits = { maxLineBytes: 16 * 1024 * 1024 },
): AsyncGenerator<string, void, undefined> {
  let lineNumber = 0;
  for await (const line of boundedLinesOf(chunks, limits)) {
    lineNumber += 1;
    if (line.kind === 'line') yield line.text;
    else if (line.kind === 'too_large') throw new RangeError(`line ${lineNumber} is over ${limits.maxLineBytes} bytes`);
    else throw new TypeError(`line ${lineNumber} ${NOT_TEXT_REASONS[line.cause]}`);
  }
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * How a stream's bytes are rewritten once its start has been read: `start`
 * gets the bytes held while deciding (one buffer), `chunk` every later chunk,
 * and `end` may yield what the rewrite itself still holds.
 */
interface StreamRewrite {
  start(held: Buffer): Buffer;
  chunk(chunk: Buffer): Buffer;
  end?(): Buffer;
}

const UNCHANGED: StreamRewrite = { start: (held) => held, chunk: (chunk) => chunk };

/**
 * Decides a rewrite from the file's first chunks (`held`, `heldBytes` of them;
 * `isWholeFile` once the input ended), or returns undefined to read on.
 */
type FileStartDecision = (
  held: readonly Buffer[],
  heldBytes: number,
  isWholeFile: boolean,
) => StreamRewrite | undefined;

/**
 * Holds a stream's first chunks until `decide` names a rewrite for it, then
 * passes every chunk through that rewrite: the one shape of the reader's
 * encoding and line-ending steps, which each look only at a file's start.
 */
async function* rewrittenByFileStart(
  chunks: AsyncIterable<Uint8Array>,
  decide: FileStartDecision,
): AsyncGenerator<Buffer, void, undefined> {
  let held: Buffer[] | null = [];
  let heldBytes = 0;
  let rewrite: StreamRewrite = UNCHANGED;
  for await (const raw of chunks) {
    const chunk = asBuffer(raw);
    if (chunk.length === 0) continue;
    if (held === null) {
      yield rewrite.chunk(chunk);
      continue;
    }
    held.push(chunk);
    heldBytes += chunk.length;
    const decided = decide(held, heldBytes, false);
    if (decided === undefined) continue;
    rewrite = decided;
    const start = rewrite.start(joined(held, heldBytes));
    held = null;
    if (start.length > 0) yield start;
  }
  if (held !== null && heldBytes > 0) {
    rewrite = decide(held, heldBytes, true) ?? UNCHANGED;
    const start = rewrite.start(joined(held, heldBytes));
    if (start.length > 0) yield start;
  }
  const rest = rewrite.end?.();
  if (rest !== undefined && rest.length > 0) yield rest;
}

/** The held chunks as one buffer, copied only when there are several. */
function joined(held: readonly Buffer[], heldBytes: number): Buffer {
  const [first] = held;
  return held.length === 1 && first !== undefined ? first : Buffer.concat(held, heldBytes);
}

/**
 * Drops the UTF-8 byte-order marks at the start of the input (at most
 * MAX_LEADING_BYTE_ORDER_MARKS), even when the first chunks are shorter
 * than one. A file saved again by a tool that writes its own mark starts
 * with two: the second, kept as text, made a quoted header's first name a
 * quote inside an unquoted field, and the file matched no layout.
 */
function withoutByteOrderMark(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer, void, undefined> {
  const markLength = UTF8_BYTE_ORDER_MARK.length;
  return rewrittenByFileStart(chunks, (held, heldBytes, isWholeFile) => {
    const head = joined(held, heldBytes);
    let marks = 0;
    while (
      marks < MAX_LEADING_BYTE_ORDER_MARKS &&
      head.subarray(marks * markLength, (marks + 1) * markLength).equals(UTF8_BYTE_ORDER_MARK)
    ) {
      marks += 1;
    }
    const rest = head.subarray(marks * markLength);
    const couldStillBeMark =
      marks < MAX_LEADING_BYTE_ORDER_MARKS &&
      rest.length < markLength &&
      rest.equals(UTF8_BYTE_ORDER_MARK.subarray(0, rest.length));
    if (couldStillBeMark && !isWholeFile) return undefined;
    if (marks === 0) return UNCHANGED;
    return { start: (bytes) => bytes.subarray(marks * markLength), chunk: (chunk) => chunk };
  });
}

/**
 * The UTF-16 encoding a file's first bytes name by their byte-order mark (FF
 * FE little-endian, FE FF big-endian), or null: how the reader and the API's
 * upload door both tell UTF-16 text, which the reader transcodes.
 */
export function utf16EncodingOf(firstBytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (firstBytes[0] === 0xff && firstBytes[1] === 0xfe) return 'utf-16le';
  if (firstBytes[0] === 0xfe && firstBytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * A file that starts with a UTF-16 byte-order mark (FF FE little-endian, FE FF
 * big-endian: what PowerShell and SQL Server exports write) transcoded to
 * UTF-8 as it streams, its mark dropped; a code unit that is no character (a
 * lone surrogate) becomes U+FFFD. Any other file passes through as it is.
 */
function withUtf16AsUtf8(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer, void, undefined> {
  return rewrittenByFileStart(chunks, (held, heldBytes, isWholeFile) => {
    if (heldBytes < 2) return isWholeFile ? UNCHANGED : undefined;
    const encoding = utf16EncodingOf(joined(held, heldBytes));
    if (encoding === null) return UNCHANGED;
    const decoder = new TextDecoder(encoding, { ignoreBOM: false });
    const transcoded = (bytes: Buffer): Buffer => Buffer.from(decoder.decode(bytes, { stream: true }), 'utf8');
    return { start: transcoded, chunk: transcoded, end: () => Buffer.from(decoder.decode(), 'utf8') };
  });
}

/**
 * A file whose lines end in CR alone (classic Mac OS, and Excel for Mac's
 * "CSV (Macintosh)" to this day) read as if they ended in LF. Decided once,
 * from the file's first LINE_ENDING_PROBE_BYTES (or the whole file, if
 * shorter), or as soon as an LF outside double quotes is read: CRs outside
 * quotes and no such LF there make it such a file, and each of its CRs
 * becomes an LF (a copy of each chunk). An LF inside quotes is a line break
 * in a field, which Excel writes as LF whatever its lines end in: taken for
 * a line ending, it would make a CR-ended file's lines up to that field one
 * header row. Any other file passes through as it is, a CR inside its lines
 * kept, at no cost past the probe.
 */
function withLoneCarriageReturnsAsLineFeeds(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  const scan = { pieces: 0, quoted: false, carriageReturnOutside: false, lineFeedOutside: false };
  return rewrittenByFileStart(chunks, (held, heldBytes, isWholeFile) => {
    // Only the chunks not scanned yet: a file delivered a byte a chunk is still read once.
    for (; scan.pieces < held.length && !scan.lineFeedOutside; scan.pieces += 1) {
      for (const byte of held[scan.pieces] ?? []) {
        if (byte === DOUBLE_QUOTE) scan.quoted = !scan.quoted;
        else if (scan.quoted) continue;
        else if (byte === CR) scan.carriageReturnOutside = true;
        else if (byte === LF) {
          scan.lineFeedOutside = true;
          break;
        }
      }
    }
    if (scan.lineFeedOutside) return UNCHANGED;
    if (heldBytes < LINE_ENDING_PROBE_BYTES && !isWholeFile) return undefined;
    if (!scan.carriageReturnOutside) return UNCHANGED;
    return { start: carriageReturnsAsLineFeeds, chunk: carriageReturnsAsLineFeeds };
  });
}

/**
 * Drops Excel's separator directive (SEPARATOR_DIRECTIVE) when it is the
 * input's first line, where it was read as the header row and the whole file
 * refused as matching no layout. The delimiter it names is not taken from
 * it: a layout declares its own, and a header split otherwise matches none.
 */
function withoutSeparatorDirective(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  return rewrittenByFileStart(chunks, (held, heldBytes, isWholeFile) => {
    const head = joined(held, heldBytes);
    const directive = SEPARATOR_DIRECTIVE.exec(head.subarray(0, SEPARATOR_DIRECTIVE_PROBE_BYTES).toString('latin1'));
    if (directive !== null) {
      const length = directive[0].length;
      return { start: (bytes) => bytes.subarray(length), chunk: (chunk) => chunk };
    }
    const undecided = !isWholeFile && heldBytes < SEPARATOR_DIRECTIVE_PROBE_BYTES && !head.includes(LF);
    return undecided ? undefined : UNCHANGED;
  });
}

function carriageReturnsAsLineFeeds(chunk: Buffer): Buffer {
  const copy = Buffer.from(chunk);
  for (let at = copy.indexOf(CR); at !== -1; at = copy.indexOf(CR, at + 1)) copy[at] = LF;
  return copy;
}

function withoutTrailingCarriageReturns(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === CR) end -= 1;
  return end === bytes.length ? bytes : bytes.subarray(0, end);
}

function decodeLine(bytes: Buffer, decoder: TextDecoder): SourceLine {
  // One native scan; in UTF-8 a 0x00 byte is U+0000 and nothing else.
  if (bytes.indexOf(0) >= 0) return { kind: 'not_text', cause: 'nul_character', bytes };
  try {
    return { kind: 'line', text: decoder.decode(bytes), bytes };
  } catch {
    return { kind: 'not_text', cause: 'invalid_utf8', bytes };
  }
}

/** A line that is whole in one chunk, line ending aside. */
function completeLine(raw: Buffer, maxLineBytes: number, prefixBytes: number, decoder: TextDecoder): SourceLine {
  const bytes = withoutTrailingCarriageReturns(raw);
  if (bytes.length <= maxLineBytes) return decodeLine(bytes, decoder);
  return {
    kind: 'too_large',
    prefix: Buffer.from(bytes.subarray(0, prefixBytes)),
    byteLength: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * A line that spans read chunks. While it fits `maxLineBytes` its pieces are
 * held; once it does not, they are hashed and dropped, and only a copied
 * prefix stays. Trailing CRs are only counted until a later byte shows they
 * were inside the line, so neither the size nor the hash includes the line
 * ending, and a run of CRs costs no memory.
 */
class LineAcrossChunks {
  private pieces: Buffer[] = [];
  private committedBytes = 0;
  private pendingCarriageReturns = 0;
  private started = false;
  /** Set once the line is known to be too large. */
  private hash: Hash | null = null;
  private prefix: Buffer[] = [];
  private prefixLength = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly prefixBytes: number,
  ) {}

  get isEmpty(): boolean {
    return !this.started;
  }

  append(segment: Buffer): void {
    this.started = true;
    const content = withoutTrailingCarriageReturns(segment);
    if (content.length === 0) {
      this.pendingCarriageReturns += segment.length;
      return;
    }
    this.commitPendingCarriageReturns();
    this.commit(content);
    this.pendingCarriageReturns = segment.length - content.length;
  }

  finish(decoder: TextDecoder): SourceLine {
    let line: SourceLine;
    if (this.hash === null) {
      const bytes = this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces);
      line = decodeLine(bytes, decoder);
    } else {
      line = {
        kind: 'too_large',
        prefix: Buffer.concat(this.prefix, this.prefixLength),
        byteLength: this.committedBytes,
        sha256: this.hash.digest('hex'),
      };
    }
    this.pieces = [];
    this.committedBytes = 0;
    this.pendingCarriageReturns = 0;
    this.started = false;
    this.hash = null;
    this.prefix = [];
    this.prefixLength = 0;
    return line;
  }

  private commitPendingCarriageReturns(): void {
    while (this.pendingCarriageReturns > 0) {
      const slice = Math.min(this.pendingCarriageReturns, CARRIAGE_RETURN_SLICE_BYTES);
      this.commit(Buffer.alloc(slice, CR));
      this.pendingCarriageReturns -= slice;
    }
  }

  private commit(bytes: Buffer): void {
    if (this.hash === null && this.committedBytes + bytes.length <= this.maxLineBytes) {
      this.pieces.push(bytes);
      this.committedBytes += bytes.length;
      return;
    }
    if (this.hash === null) {
      this.hash = createHash('sha256');
      for (const piece of this.pieces) this.hashAndKeepPrefix(piece);
      this.pieces = [];
    }
    this.hashAndKeepPrefix(bytes);
    this.committedBytes += bytes.length;
  }

  private hashAndKeepPrefix(bytes: Buffer): void {
    this.hash?.update(bytes);
    const room = this.prefixBytes - this.prefixLength;
    if (room <= 0) return;
    // A copy: a view would keep the whole read chunk it points into alive.
    const kept = Buffer.from(bytes.subarray(0, room));
    this.prefix.push(kept);
    this.prefixLength += kept.length;
  }
}
