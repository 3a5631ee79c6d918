import type { ChaosRandom } from './chaos-random';

/**
 * Hostile input made from valid input: a seeded mutator over the records of
 * a generated file, X12 interchanges with broken envelopes, and whole files
 * no layout fits. Pure: bytes in, bytes out.
 */

export type RecordMutation = 'flip-bytes' | 'cut-fields' | 'huge-field' | 'wrong-encoding';
export const RECORD_MUTATIONS: readonly RecordMutation[] = ['flip-bytes', 'cut-fields', 'huge-field', 'wrong-encoding'];

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;

/** Field sizes a huge field is drawn from: past the normalizer's field limit, and past the ingestor's record limit. */
const HUGE_FIELD_BYTES: readonly number[] = [4_096, 70_000, 1_000_000];

/**
 * Values in encodings other than UTF-8: Latin-1 "Müller", Windows-1252 curly
 * quotes, UTF-16LE "Zoë" (NUL bytes, which Postgres text refuses), a lone
 * continuation byte and an overlong encoding.
 */
const FOREIGN_ENCODINGS: readonly Buffer[] = [
  Buffer.from('Müller', 'latin1'),
  Buffer.from([0x93, 0x4f, 0x4b, 0x94]),
  Buffer.from('Zoë', 'utf16le'),
  Buffer.from([0x41, 0x80, 0x42]),
  Buffer.from([0xc0, 0xaf]),
];

export interface MutateRecordOptions {
  delimiter: string;
  /** Leading fields left as they are (the record's key), so a mutated record keeps its claim id. */
  protectedFields: number;
}

/** Byte offsets where each field of `record` starts, and the offset past its end. */
function fieldStarts(record: Buffer, delimiter: number): number[] {
  const starts = [0];
  for (let index = 0; index < record.length; index += 1) if (record[index] === delimiter) starts.push(index + 1);
  starts.push(record.length + 1);
  return starts;
}

/** A byte that keeps the record one record: never a line break or a quote, which would merge or split records. */
function safeByte(candidate: number): number {
  return candidate === NEWLINE || candidate === CARRIAGE_RETURN || candidate === QUOTE ? 0x7e : candidate;
}

/**
 * One record changed by `mutation`, past its first `protectedFields` fields:
 * still one line (no line break, no quote is ever introduced), its key intact.
 * A record with nothing past its key comes back unchanged.
 */
export function mutateRecord(
  record: Buffer,
  mutation: RecordMutation,
  random: ChaosRandom,
  options: MutateRecordOptions,
): Buffer {
  const delimiter = options.delimiter.charCodeAt(0);
  const starts = fieldStarts(record, delimiter);
  const fields = starts.length - 1;
  const firstMutable = starts[options.protectedFields];
  if (firstMutable === undefined || firstMutable >= record.length || fields <= options.protectedFields) return record;
  const fieldIndex = random.intBetween(options.protectedFields, fields - 1);
  const fieldStart = starts[fieldIndex] ?? firstMutable;
  const fieldEnd = (starts[fieldIndex + 1] ?? record.length + 1) - 1;
  switch (mutation) {
    case 'flip-bytes': {
      const copy = Buffer.from(record);
      const flips = random.intBetween(1, 3);
      for (let flip = 0; flip < flips; flip += 1) {
        const at = random.intBetween(firstMutable, record.length - 1);
        copy[at] = safeByte((copy[at] ?? 0) ^ (1 << random.intBetween(0, 7)));
      }
      return copy;
    }
    case 'cut-fields': {
      // Either whole trailing fields go, or the record stops in the middle of one.
      if (random.chance(0.5)) return record.subarray(0, Math.max(firstMutable, fieldStart - 1));
      return record.subarray(0, random.intBetween(firstMutable, record.length - 1));
    }
    case 'huge-field': {
      const size = random.pick(HUGE_FIELD_BYTES);
      return Buffer.concat([record.subarray(0, fieldStart), Buffer.alloc(size, 0x58), record.subarray(fieldEnd)]);
    }
    case 'wrong-encoding': {
      const value = random.pick(FOREIGN_ENCODINGS);
      return Buffer.concat([record.subarray(0, fieldStart), value, record.subarray(fieldEnd)]);
    }
  }
}

export interface FuzzedFile {
  content: Buffer;
  /** Data records (the header aside), as many as the input had. */
  records: number;
  mutatedRecords: number;
  mutations: Record<RecordMutation, number>;
}

/**
 * The records of a delimited file, `share` of them mutated (each by a seeded
 * mutation). The header and the record count stay: a fuzzed file is still a
 * file of its layout, whose every record must end folded or dead-lettered.
 */
export function fuzzDelimitedFile(
  content: Buffer,
  random: ChaosRandom,
  options: MutateRecordOptions & { share: number },
): FuzzedFile {
  const lines: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < content.length; index += 1) {
    if (content[index] !== NEWLINE) continue;
    lines.push(content.subarray(start, index));
    start = index + 1;
  }
  if (start < content.length) lines.push(content.subarray(start));
  const [header, ...records] = lines;
  const mutations = Object.fromEntries(RECORD_MUTATIONS.map((kind) => [kind, 0])) as Record<RecordMutation, number>;
  let mutatedRecords = 0;
  const out: Buffer[] = header === undefined ? [] : [header];
  for (const record of records) {
    if (record.length > 0 && random.chance(options.share)) {
      const mutation = random.pick(RECORD_MUTATIONS);
      const mutated = mutateRecord(record, mutation, random, options);
      if (!mutated.equals(record)) {
        mutations[mutation] += 1;
        mutatedRecords += 1;
      }
      out.push(mutated);
    } else {
      out.push(record);
    }
  }
  return {
    content: Buffer.concat(out.flatMap((line) => [line, Buffer.from('\n')])),
    records: records.filter((record) => record.length > 0).length,
    mutatedRecords,
    mutations,
  };
}

export type EnvelopeBreak = 'se-count' | 'ge-count' | 'iea-missing' | 'iea-control-number' | 'isa-cut';
export const ENVELOPE_BREAKS: readonly EnvelopeBreak[] = [
  'se-count',
  'ge-count',
  'iea-missing',
  'iea-control-number',
  'isa-cut',
];

/** The element separator (ISA's 4th byte) and the segment terminator (the byte after ISA16) of an interchange. */
function separatorsOf(text: string): { element: string; segment: string } {
  const isa = text.indexOf('ISA');
  const element = text.charAt(isa + 3);
  return { element, segment: text.charAt(isa + 105) || '~' };
}

/** Rewrites element `elementIndex` of every `tag` segment with `change`. */
function rewriteSegments(
  text: string,
  tag: string,
  elementIndex: number,
  change: (value: string) => string,
  separators: { element: string; segment: string },
): string {
  return text
    .split(separators.segment)
    .map((segment) => {
      const elements = segment.split(separators.element);
      if ((elements[0] ?? '').trim() !== tag) return segment;
      elements[elementIndex] = change(elements[elementIndex] ?? '');
      return elements.join(separators.element);
    })
    .join(separators.segment);
}

const plusOne = (value: string): string => String(Number(value.trim() || '0') + 1).padStart(value.length, '0');

/**
 * An X12 interchange with its envelope broken one way: a transaction set's
 * SE01 segment count or a group's GE01 set count off by one, the IEA trailer
 * gone, IEA02 not echoing ISA13, or the fixed-width ISA cut short.
 */
export function breakX12Envelope(text: string, broken: EnvelopeBreak): string {
  const separators = separatorsOf(text);
  switch (broken) {
    case 'se-count':
      return rewriteSegments(text, 'SE', 1, plusOne, separators);
    case 'ge-count':
      return rewriteSegments(text, 'GE', 1, plusOne, separators);
    case 'iea-control-number':
      return rewriteSegments(text, 'IEA', 2, plusOne, separators);
    case 'iea-missing': {
      const at = text.lastIndexOf(`IEA${separators.element}`);
      return at === -1 ? text : text.slice(0, at);
    }
    case 'isa-cut': {
      const at = text.indexOf('ISA');
      return `${text.slice(0, at + 60)}${separators.segment}${text.slice(at + 106)}`;
    }
  }
}

export interface BadFile {
  name: string;
  content: Buffer;
  /** Why no layout should take it. */
  why: string;
}

/**
 * Whole files the ingestor must refuse or fail, never half-publish: bytes no
 * layout reads, a header nobody maps, text in UTF-16 without the byte-order
 * mark that would say so (with one, the ingestor transcodes it), an X12 file
 * that is not an interchange. `carrierHeader` is a real header, used to make a file whose
 * header fits but whose encoding does not.
 */
export function badFiles(random: ChaosRandom, carrierHeader: string, label: string): BadFile[] {
  // The label goes into the bytes too: each run's bad files are files of their own, not duplicates of another's.
  const noise = Buffer.alloc(4_096);
  for (let index = 0; index < noise.length; index += 1) noise[index] = random.intBetween(0, 255);
  return [
    { name: `${label}-noise.bin`, content: noise, why: 'random bytes' },
    { name: `${label}-empty.csv`, content: Buffer.alloc(0), why: 'an empty file' },
    {
      name: `${label}-unknown-header.csv`,
      content: Buffer.from(`patient,when,how much\n${label},2024-01-01,12.00\n`),
      why: 'a header no layout maps',
    },
    {
      name: `${label}-utf16.csv`,
      content: Buffer.from(`${carrierHeader}\n${label}\n`, 'utf16le'),
      why: 'a carrier header in UTF-16 without its byte-order mark',
    },
    {
      name: `${label}-not-an-interchange.x12`,
      content: Buffer.from(`ISA*00*short~GS*HC*${label}~ST*837*0001~SE*2*0001~`),
      why: 'an X12 file whose ISA is no interchange header',
    },
  ];
}
