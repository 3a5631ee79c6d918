import { TextDecoder } from 'node:util';
import { X12Error } from './x12.errors';

/** The four delimiters an interchange declares in its ISA segment. */
export interface X12Separators {
  element: string;
  /** ISA11 from 005010 on; null before (ISA11 was the standards identifier `U`), or when ISA11 can separate nothing. */
  repetition: string | null;
  /** ISA16. */
  component: string;
  /** The character right after ISA16. */
  segment: string;
}

export interface X12Segment {
  /** 1-based position among the segments of the whole input: what a located error names. */
  number: number;
  tag: string;
  /** Index 0 is the tag, so `elements[n]` is element n as the implementation guides number it. */
  elements: readonly string[];
  /** The segment as written, terminator and line breaks excluded. */
  text: string;
  separators: X12Separators;
}

export type X12Token =
  | { kind: 'segment'; segment: X12Segment }
  /** Input the tokenizer could not read as segments; `skipped` says how many characters it stepped over. */
  | { kind: 'syntax_error'; error: X12Error };

export interface X12TokenizerOptions {
  /** A segment over this many characters is damage (a lost terminator); it is skipped with X12_SEGMENT_TOO_LONG. */
  maxSegmentChars?: number;
}

const DEFAULT_MAX_SEGMENT_CHARS = 64 * 1024;
/** ISA is fixed-width: 106 characters including its terminator (X12.5 interchange control structure). */
const ISA_LENGTH = 106;
const ISA_ELEMENT_COUNT = 16;
const LINE_BREAKS = new Set(['\r', '\n']);

/**
 * Reads the separators from an ISA segment at the start of `text`. The
 * element separator is the 4th character; ISA16 (the component separator)
 * is the character after the 16th element separator and the segment
 * terminator the one after it. Located by counting separators rather than
 * by fixed offsets, so an ISA with its padding trimmed is still read.
 * @returns null when `text` is too short to tell yet
 * @throws X12Error X12_SEPARATORS_INVALID
 */
export function separatorsOfIsa(text: string, segmentNumber = 1): { separators: X12Separators; length: number } | null {
  if (text.length < 4) return null;
  const element = text[3] ?? '';
  const invalid = (why: string): X12Error =>
    new X12Error('X12_SEPARATORS_INVALID', `the ISA segment ${why}`, { segmentNumber, elementPosition: 0 });
  if (!startsWithIsa(text)) throw invalid('is missing');
  if (/[A-Za-z0-9\s]/.test(element)) throw invalid('has a letter, digit or space as its element separator');
  let at = 3;
  for (let count = 1; count < ISA_ELEMENT_COUNT; count += 1) {
    at = text.indexOf(element, at + 1);
    if (at < 0) {
      if (text.length >= ISA_LENGTH * 2) throw invalid('has fewer than 16 elements');
      return null;
    }
  }
  if (text.length < at + 3) return null;
  const component = text[at + 1] ?? '';
  const segment = text[at + 2] ?? '';
  const fields = withoutLineBreaks(text.slice(0, at + 2), null).split(element);
  const version = fields[12] ?? '';
  const repetitionField = fields[11] ?? '';
  // An ISA11 that another separator or the data could hold (`:`, `~`, the `U` 4010 wrote there) separates
  // nothing: read with no repetition separator (only a 277's STC splits on one), every element reads as sent.
  const repetition =
    version >= '00501' &&
    repetitionField.length === 1 &&
    ![element, component, segment].includes(repetitionField) &&
    !/[A-Za-z0-9\s]/.test(repetitionField)
      ? repetitionField
      : null;
  const used = [element, component, segment];
  if (new Set(used).size !== used.length) throw invalid('declares the same character for two separators');
  if (/[A-Za-z0-9 ]/.test(component) || /[A-Za-z0-9 ]/.test(segment)) {
    throw invalid('has a letter, digit or space as a component separator or segment terminator');
  }
  return { separators: { element, repetition, component, segment }, length: at + 3 };
}

const SEGMENT_ID = /^[A-Za-z0-9]{2,3}$/;

/** Whether `text` begins with an ISA tag, in whatever case it is written. */
function startsWithIsa(text: string): boolean {
  return text.slice(0, 3).toUpperCase() === 'ISA';
}

/**
 * Splits one segment's text with known separators. A segment id is two or
 * three capitals or digits (X12.6): one written in lower case or padded
 * with spaces still names the same segment, so the tag is read as the id it
 * spells; the text keeps what was written.
 */
export function segmentOf(text: string, number: number, separators: X12Separators): X12Segment {
  const elements = text.split(separators.element);
  const written = (elements[0] ?? '').trim();
  // Anything else is damage, named as written.
  const tag = SEGMENT_ID.test(written) ? written.toUpperCase() : (elements[0] ?? '');
  return { number, tag, elements, text, separators };
}

/** The segments of a record written with known separators (a transaction set's text), numbered from `firstNumber`. */
export function segmentsOfText(text: string, separators: X12Separators, firstNumber = 1): X12Segment[] {
  const segments: X12Segment[] = [];
  for (const piece of text.split(separators.segment)) {
    const trimmed = withoutLineBreaks(piece, separators);
    if (trimmed === '') continue;
    segments.push(segmentOf(trimmed, firstNumber + segments.length, separators));
  }
  return segments;
}

/**
 * A segment's text without the line breaks in it, unless the file uses one
 * as a separator. No X12 character set holds CR or LF as data (X12.6), so a
 * line break is layout wherever it stands: after a terminator, or inside a
 * segment where a transfer wrapped the file at 80 columns (read as it was
 * written, a wrapped claim id would lose the join to its 835 and a wrapped
 * tag its segment).
 */
function withoutLineBreaks(text: string, separators: X12Separators | null): string {
  const isDelimiter = (char: string): boolean =>
    separators !== null &&
    (char === separators.segment ||
      char === separators.element ||
      char === separators.component ||
      char === separators.repetition);
  const isLayout = (char: string | undefined): boolean =>
    char !== undefined && LINE_BREAKS.has(char) && !isDelimiter(char);
  // The common case first, without a copy per character: breaks only around the segment (`~` CRLF).
  let start = 0;
  let end = text.length;
  while (start < end && isLayout(text[start])) start += 1;
  while (end > start && isLayout(text[end - 1])) end -= 1;
  const inner = start === 0 && end === text.length ? text : text.slice(start, end);
  if (!inner.includes('\r') && !inner.includes('\n')) return inner;
  let kept = '';
  for (const char of inner) if (!isLayout(char)) kept += char;
  return kept;
}

const DOS_END_OF_FILE = '\u001A';
const NUL_PADDING = '\u0000';
const ISA_SEEK_OVERLAP = 3;
/** "ISA", its element separator, ISA01 (two characters), the separator again. */
const ISA_JUDGED_CHARS = 7;
const TAG_CHARACTER = /[A-Za-z0-9]/;

/**
 * Where the next ISA that can start an interchange begins: at the start of
 * the text or after a character no segment tag holds (a terminator, a line
 * break), and followed by a separator that is repeated after ISA01's two
 * characters. An `ISA` inside data (MELISSA, ISAAC) is not one. A candidate
 * with fewer than seven characters after it is returned unjudged.
 */
function nextIsaAt(text: string): number {
  for (let at = text.indexOf('ISA'); at >= 0; at = text.indexOf('ISA', at + 1)) {
    if (at > 0 && TAG_CHARACTER.test(text[at - 1] ?? '')) continue;
    if (at + ISA_JUDGED_CHARS > text.length) return at;
    const separator = text[at + 3] ?? '';
    if (!TAG_CHARACTER.test(separator) && separator !== ' ' && text[at + 6] === separator) return at;
  }
  return -1;
}

/**
 * The segments of an X12 byte stream, one at a time, in bounded memory: at
 * most one read chunk and one segment are held, whatever the file's size.
 * Every ISA re-reads the separators, so interchanges written with different
 * delimiters may follow one another. Damage never throws: it comes out as a
 * `syntax_error` token and reading resumes at the next ISA (bad separators)
 * or the next terminator (an overlong segment).
 */
export async function* x12TokensOf(
  chunks: AsyncIterable<Uint8Array | string>,
  options: X12TokenizerOptions = {},
): AsyncGenerator<X12Token, void, undefined> {
  const maxSegmentChars = options.maxSegmentChars ?? DEFAULT_MAX_SEGMENT_CHARS;
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let separators: X12Separators | null = null;
  let number = 0;
  let skippingOverlong = false;
  /** After unreadable separators: nothing is read until the next ISA that starts a segment. */
  let seekingIsa = false;
  /** Before the first ISA or after an IEA: no interchange is open, so what is read there is no segment's. */
  let betweenInterchanges = true;

  /**
   * Drops whitespace and byte-order marks at the start of the buffer, unless
   * the interchange uses one as its terminator. A segment begins with its tag,
   * so nothing dropped here is data: line breaks, the spaces or tabs some
   * writers end lines with, padding after the last IEA, the mark before
   * an interchange of a concatenated file, and the Ctrl-Z some DOS-era
   * writers end a file with. Between interchanges NUL is padding too (a
   * transfer that fills the last block of a fixed-block file); inside one it
   * is damage, left for the segment it stands in to fail.
   */
  const skipLayout = (): void => {
    let start = 0;
    while (start < buffer.length) {
      const char = buffer[start] ?? '';
      const layout =
        /\s/.test(char) ||
        char === '\uFEFF' ||
        char === DOS_END_OF_FILE ||
        (betweenInterchanges && char === NUL_PADDING);
      if (!layout || char === separators?.segment) break;
      start += 1;
    }
    if (start > 0) buffer = buffer.slice(start);
  };

  /** Reads as many tokens as the buffer holds; `final` when no more input will come. */
  function* drain(final: boolean): Generator<X12Token, void, undefined> {
    for (;;) {
      skipLayout();
      if (buffer === '') return;
      if (skippingOverlong && separators) {
        const end = buffer.indexOf(separators.segment);
        if (end < 0) {
          buffer = '';
          return;
        }
        buffer = buffer.slice(end + 1);
        skippingOverlong = false;
        continue;
      }
      if (seekingIsa) {
        const next = nextIsaAt(buffer);
        if (next < 0 || (!final && next + ISA_JUDGED_CHARS > buffer.length)) {
          // An ISA may begin at the end of this read: keep what could be its start, and the character before it.
          buffer = final ? '' : buffer.slice(next < 0 ? -ISA_SEEK_OVERLAP : Math.max(0, next - 1));
          return;
        }
        buffer = buffer.slice(next);
        seekingIsa = false;
      }
      if (startsWithIsa(buffer) || separators === null) {
        let isa: ReturnType<typeof separatorsOfIsa>;
        try {
          isa = separatorsOfIsa(buffer, number + 1);
        } catch (error) {
          if (!(error instanceof X12Error)) throw error;
          number += 1;
          yield { kind: 'syntax_error', error };
          // Nothing in this interchange can be read without its separators: resume at the next ISA, however
          // many reads away, with this one failure for all that lies between.
          separators = null;
          buffer = buffer.slice(1);
          seekingIsa = true;
          continue;
        }
        if (isa === null) {
          if (!final) return;
          number += 1;
          yield {
            kind: 'syntax_error',
            error: new X12Error('X12_TRUNCATED', 'the input ends inside the ISA segment', {
              segmentNumber: number,
              elementPosition: 0,
            }),
          };
          buffer = '';
          return;
        }
        separators = isa.separators;
        betweenInterchanges = false;
        number += 1;
        const isaText = withoutLineBreaks(buffer.slice(0, isa.length - 1), separators);
        yield { kind: 'segment', segment: segmentOf(isaText, number, separators) };
        buffer = buffer.slice(isa.length);
        continue;
      }
      const end = buffer.indexOf(separators.segment);
      // Over the limit whether or not its terminator came in the same read: the verdict cannot hang on chunking.
      if ((end < 0 ? buffer.length : end) > maxSegmentChars) {
        number += 1;
        yield {
          kind: 'syntax_error',
          error: new X12Error('X12_SEGMENT_TOO_LONG', `a segment is over ${maxSegmentChars} characters`, {
            segmentNumber: number,
            elementPosition: 0,
          }),
        };
        if (end >= 0) {
          buffer = buffer.slice(end + 1);
          continue;
        }
        buffer = '';
        skippingOverlong = true;
        return;
      }
      if (end < 0) {
        if (!final) return;
        number += 1;
        yield {
          kind: 'syntax_error',
          error: new X12Error('X12_TRUNCATED', 'the input ends inside a segment (no segment terminator)', {
            segmentNumber: number,
            elementPosition: 0,
          }),
        };
        buffer = '';
        return;
      }
      const text = withoutLineBreaks(buffer.slice(0, end), separators);
      if (startsWithIsa(text)) {
        // An ISA a wrapped line split (`I` CRLF `SA`): read as one, by the separators it declares.
        buffer = `${text}${buffer.slice(end)}`;
        continue;
      }
      buffer = buffer.slice(end + 1);
      if (text === '') continue;
      number += 1;
      const segment = segmentOf(text, number, separators);
      betweenInterchanges = segment.tag === 'IEA';
      yield { kind: 'segment', segment };
    }
  }

  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* drain(false);
  }
  buffer += decoder.decode();
  yield* drain(true);
}

const UTF8_BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

/**
 * Whether a file's first bytes are an X12 interchange's: `ISA` after an
 * optional byte-order mark and whitespace. A file is recognised by what it
 * holds, never by its name.
 */
export function isX12Start(firstBytes: Uint8Array): boolean {
  let at = UTF8_BYTE_ORDER_MARK.every((byte, index) => firstBytes[index] === byte) ? 3 : 0;
  while (at < firstBytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(firstBytes[at] ?? 0)) at += 1;
  return firstBytes[at] === 0x49 && firstBytes[at + 1] === 0x53 && firstBytes[at + 2] === 0x41;
}
