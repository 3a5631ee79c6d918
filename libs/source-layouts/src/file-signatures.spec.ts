import { gzipSync } from 'node:zlib';
import { isGzipSignature, unreadableFormatOf, unreadableFormatRefusal } from './file-signatures';

const TEXT = 'CLM_ID,CLM_THRU_DT\n1,20100101\n';

describe('isGzipSignature', () => {
  it('recognises gzip by its first two bytes, 1f 8b, and nothing shorter or else', () => {
    expect(isGzipSignature(gzipSync(TEXT))).toBe(true);
    expect(isGzipSignature(Buffer.from(TEXT))).toBe(false);
    expect(isGzipSignature(Buffer.from([0x1f]))).toBe(false);
    expect(isGzipSignature(Buffer.alloc(0))).toBe(false);
  });
});

describe('unreadableFormatOf', () => {
  it('knows a ZIP archive by PK and its first record, as an archive to unpack', () => {
    for (const head of [
      [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00],
      [0x50, 0x4b, 0x05, 0x06],
      [0x50, 0x4b, 0x07, 0x08],
    ]) {
      expect(unreadableFormatOf(Buffer.from(head))).toMatchObject({ description: 'a ZIP archive', archive: true });
    }
  });

  it('knows the other archives, legacy Office files, PDFs and images people send by mistake', () => {
    expect(unreadableFormatOf(Buffer.from('BZh91AY&SY', 'latin1'))?.archive).toBe(true);
    expect(unreadableFormatOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]))?.archive).toBe(true);
    expect(unreadableFormatOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toMatchObject({
      description: 'a legacy Office file (.xls, .doc)',
      archive: false,
    });
    expect(unreadableFormatOf(Buffer.from('%PDF-1.7\n'))?.description).toBe('a PDF document');
    expect(unreadableFormatOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.description).toBe('an image (PNG or JPEG)');
  });

  it('takes text that merely starts with the same letters for text, and a head shorter than a signature for no format', () => {
    // A pipe-delimited export whose first column is "PK", a header that opens "%PDF" without the dash, "BZ" alone.
    expect(unreadableFormatOf(Buffer.from('PK,CLM_ID\n'))).toBeNull();
    expect(unreadableFormatOf(Buffer.from('%PDF_FLAG|CLM_ID\n'))).toBeNull();
    expect(unreadableFormatOf(Buffer.from([0x50, 0x4b]))).toBeNull();
    expect(unreadableFormatOf(Buffer.from('ISA*00*          *00*'))).toBeNull();
    expect(unreadableFormatOf(gzipSync(TEXT))).toBeNull();
  });
});

describe('unreadableFormatRefusal', () => {
  it('names the file, what it is and what to send instead, in one line', () => {
    const zip = unreadableFormatOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(zip).not.toBeNull();
    expect(unreadableFormatRefusal('carrier.csv', zip!)).toBe(
      'carrier.csv is a ZIP archive: unzip it and ingest the files it holds, or save a workbook as CSV (gzip is read as it is)',
    );
  });
});
