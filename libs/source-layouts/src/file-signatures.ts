/**
 * What a file is, told by its first bytes before any of it is read as
 * records. Every door tells a file by what it holds, not by its name: an
 * upload or an inbox drop keeps whatever name its sender gave it, and a `.gz`
 * name on plain text must not be gunzipped.
 */

/** Bytes a door reads to tell a file's format: enough for the longest signature below. */
export const FILE_SIGNATURE_BYTES = 8;

/** ID1 and ID2, the two bytes every gzip member starts with (RFC 1952, section 2.3.1). */
const GZIP_SIGNATURE = [0x1f, 0x8b] as const;

/** A format people send by mistake that no layout reads, and what to send instead. */
export interface UnreadableFormat {
  /** The format in words, to follow "is": "a ZIP archive". */
  readonly description: string;
  /** Compressed files whose contents would be read once unpacked, as against documents and images. */
  readonly archive: boolean;
  readonly whatToDo: string;
  readonly signatures: readonly (readonly number[])[];
}

const bytesOf = (text: string): number[] => [...Buffer.from(text, 'latin1')];

const UNREADABLE_FORMATS: readonly UnreadableFormat[] = [
  {
    description: 'a ZIP archive',
    archive: true,
    // CMS ships every DE-SynPUF file zipped; an .xlsx workbook is a ZIP archive too.
    whatToDo: 'unzip it and ingest the files it holds, or save a workbook as CSV (gzip is read as it is)',
    // "PK" and what an archive starts with (APPNOTE.TXT 4.3): a local file header, an empty archive's end record, a spanned archive's marker.
    signatures: [
      [0x50, 0x4b, 0x03, 0x04],
      [0x50, 0x4b, 0x05, 0x06],
      [0x50, 0x4b, 0x07, 0x08],
    ],
  },
  {
    description: 'a bzip2, xz or 7-Zip file',
    archive: true,
    whatToDo: 'unpack it and ingest what it holds (gzip is read as it is)',
    // bzip2: "BZh" and the block size, 1 to 9 (100 to 900 kB).
    signatures: [...'123456789']
      .map((size) => bytesOf(`BZh${size}`))
      .concat([
        [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
        [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c],
      ]),
  },
  {
    description: 'a legacy Office file (.xls, .doc)',
    archive: false,
    whatToDo: 'save the sheet as CSV and ingest that',
    signatures: [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  },
  {
    description: 'a PDF document',
    archive: false,
    whatToDo: 'ingest the export it was printed from',
    signatures: [bytesOf('%PDF-')],
  },
  {
    description: 'an image (PNG or JPEG)',
    archive: false,
    whatToDo: 'ingest the export it shows',
    signatures: [
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0xff, 0xd8, 0xff],
    ],
  },
];

const startsWith = (firstBytes: Uint8Array, signature: readonly number[]): boolean =>
  firstBytes.length >= signature.length && signature.every((byte, index) => firstBytes[index] === byte);

/** Whether a file's first bytes are gzip's (the doors gunzip it as it streams). */
export function isGzipSignature(firstBytes: Uint8Array): boolean {
  return startsWith(firstBytes, GZIP_SIGNATURE);
}

/** The format a file's first bytes name, when it is one no layout reads; null for anything else. */
export function unreadableFormatOf(firstBytes: Uint8Array): UnreadableFormat | null {
  return (
    UNREADABLE_FORMATS.find((format) => format.signatures.some((signature) => startsWith(firstBytes, signature))) ??
    null
  );
}

/** The one line a door refuses such a file with: "<name> is a ZIP archive: unzip it …". */
export function unreadableFormatRefusal(name: string, format: UnreadableFormat): string {
  return `${name} is ${format.description}: ${format.whatToDo}`;
}
