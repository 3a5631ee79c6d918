import { createHash } from 'node:crypto';
import { boundedLinesOf, holdsNulCharacter, linesOf, type LineLimits, type SourceLine } from './lines-of';

const LIMITS: LineLimits = { maxLineBytes: 64 };

async function* chunksOf(parts: ReadonlyArray<string | Buffer>): AsyncGenerator<Buffer> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
}

async function readAll(parts: ReadonlyArray<string | Buffer>, limits: LineLimits = LIMITS): Promise<SourceLine[]> {
  const lines: SourceLine[] = [];
  for await (const line of boundedLinesOf(chunksOf(parts), limits)) {
    // Copies, so that expectations compare bytes and not views into the chunks.
    if (line.kind === 'too_large') lines.push(line);
    else lines.push({ ...line, bytes: Buffer.from(line.bytes) });
  }
  return lines;
}

async function readTexts(parts: ReadonlyArray<string | Buffer>, limits: LineLimits = LIMITS): Promise<string[]> {
  return (await readAll(parts, limits)).map((line) => (line.kind === 'line' ? line.text : `<${line.kind}>`));
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

describe('boundedLinesOf', () => {
  it('splits LF and CRLF lines and drops the line endings', async () => {
    expect(await readTexts(['a,b\nc,d\r\ne,f\r\n'])).toEqual(['a,b', 'c,d', 'e,f']);
  });

  it('drops every trailing CR of a line ending CR CR LF', async () => {
    expect(await readTexts(['"H1","H2"\r\r\n1,2\r\r\n3,4\r\r\r\n'])).toEqual(['"H1","H2"', '1,2', '3,4']);
  });

  it('keeps a CR inside a line', async () => {
    expect(await readTexts(['a\rb\r\n'])).toEqual(['a\rb']);
  });

  it('drops trailing CRs that arrive in a chunk of their own, before the LF in the next chunk', async () => {
    expect(await readTexts(['1,2', '\r', '\r', '\n3,4\n'])).toEqual(['1,2', '3,4']);
  });

  it('keeps CRs that a later chunk shows were inside the line', async () => {
    expect(await readTexts(['1,2', '\r\r', '3\n'])).toEqual(['1,2\r\r3']);
  });

  it('drops a UTF-8 byte-order mark at the start of the file', async () => {
    const lines = await readAll([Buffer.from([0xef, 0xbb, 0xbf]), '"H1"\r\n1\r\n']);
    expect(lines.map((line) => line.kind === 'line' && line.text)).toEqual(['"H1"', '1']);
    expect(lines[0]?.kind === 'line' && lines[0].bytes).toEqual(Buffer.from('"H1"'));
  });

  it('drops every byte-order mark the file starts with (a file saved again by a tool that adds its own)', async () => {
    const mark = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(await readTexts([Buffer.concat([mark, mark]), '"H1","H2"\n1,2\n'])).toEqual(['"H1","H2"', '1,2']);
    expect(await readTexts([mark, Buffer.from([0xef, 0xbb]), Buffer.from([0xbf]), mark, 'H\n'])).toEqual(['H']);
  });

  it('keeps a byte-order mark that is not at the start of the file as the text it is', async () => {
    expect(await readTexts(['H\n\uFEFF1\n'])).toEqual(['H', '\uFEFF1']);
  });

  it('drops a byte-order mark split across the first chunks', async () => {
    expect(await readTexts([Buffer.from([0xef]), Buffer.from([0xbb]), Buffer.from([0xbf, 0x48, 0x0a])])).toEqual(['H']);
  });

  it('keeps a U+FEFF that is not at the start of the file as text', async () => {
    expect(await readTexts(['a\n\uFEFFb\n'])).toEqual(['a', '\uFEFFb']);
  });

  it('reads a file that starts like a byte-order mark but is not one as it is', async () => {
    expect(await readTexts([Buffer.from([0xef]), Buffer.from([0x41, 0x0a])])).toEqual(['<not_text>']);
    expect(await readTexts([Buffer.from([0xef, 0xbb])])).toEqual(['<not_text>']);
  });

  it('reads a file whose lines end in CR alone (classic Mac) line by line, across chunks too', async () => {
    expect(await readTexts(['H1,H2\r1,2\r3,4\r'])).toEqual(['H1,H2', '1,2', '3,4']);
    expect(await readTexts(['H1,H2\r1,', '2\r', '3,4'])).toEqual(['H1,H2', '1,2', '3,4']);
    expect(await readTexts([Buffer.from([0xef, 0xbb, 0xbf]), 'H1\r\r1\r'])).toEqual(['H1', '', '1']);
  });

  it('decides the line ending from the first 64 KiB: an LF there keeps every CR of the file as it is', async () => {
    const firstLine = `${'x'.repeat(70_000)}\r`;
    // No LF in the first 64 KiB, a CR among them: a file of CR-ended lines.
    expect(await readTexts([firstLine, 'next\r'], { maxLineBytes: 100_000 })).toEqual(['x'.repeat(70_000), 'next']);
    // An LF anywhere in the first 64 KiB: CRs inside lines are data, as before.
    expect(await readTexts(['a\rb\n', 'c\rd\n'])).toEqual(['a\rb', 'c\rd']);
  });

  it('reads a UTF-16 file with its byte-order mark (little- and big-endian) as the same text lines, across chunks too', async () => {
    const text = 'H1,Name\r\n1,Zoë\r\n2,Müller\r\n';
    const expected = ['H1,Name', '1,Zoë', '2,Müller'];
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const big = Buffer.from(little);
    big.swap16();
    expect(await readTexts([little])).toEqual(expected);
    expect(await readTexts([big])).toEqual(expected);
    // Split inside the mark and inside a code unit.
    expect(await readTexts([little.subarray(0, 1), little.subarray(1, 8), little.subarray(8)])).toEqual(expected);
  });

  it('reads a CR-ended file whose quoted field holds an LF (a line break in an Excel for Mac cell) by its CRs', async () => {
    const file = 'H1,Note\r1,"first\nsecond"\r2,plain\r';
    expect(await readTexts([file])).toEqual(['H1,Note', '1,"first', 'second"', '2,plain']);
    expect(await readTexts([...file].map((char) => char))).toEqual(['H1,Note', '1,"first', 'second"', '2,plain']);
    // An LF outside quotes still ends lines, as before: the CRs inside them are data.
    expect(await readTexts(['H1,Note\r"x"\n', '1,"a\rb"\n'])).toEqual(['H1,Note\r"x"', '1,"a\rb"']);
  });

  it('reads marked, CR-ended and UTF-16 files delivered one byte a chunk as they read whole', async () => {
    const bytewise = (bytes: Buffer): Buffer[] => [...bytes].map((byte) => Buffer.from([byte]));
    const markedCarriageReturns = Buffer.from('\uFEFFH1,H2\r1,2\r', 'utf8');
    expect(await readTexts(bytewise(markedCarriageReturns))).toEqual(['H1,H2', '1,2']);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('H1\r\nZoë\r\n', 'utf16le')]);
    expect(await readTexts(bytewise(utf16))).toEqual(['H1', 'Zoë']);
  });

  it("drops Excel's separator directive (sep=,) as the first line, so the header is the line after it", async () => {
    expect(await readTexts(['sep=,\r\nClaim_ID,Payer\r\nBX-1,Aetna\r\n'])).toEqual(['Claim_ID,Payer', 'BX-1,Aetna']);
    expect(await readTexts(['\uFEFFSEP=;\nH1;H2\n'])).toEqual(['H1;H2']);
    // Split across chunks, CR-ended (Excel for Mac), or delivered one byte a chunk.
    expect(await readTexts(['se', 'p=', ',\r', '\nH1\n'])).toEqual(['H1']);
    expect(await readTexts(['sep=,\rH1,H2\r1,2\r'])).toEqual(['H1,H2', '1,2']);
    expect(await readTexts([...Buffer.from('sep=|\nH1|H2\n')].map((byte) => Buffer.from([byte])))).toEqual(['H1|H2']);
  });

  it('keeps a separator directive that is not the first line, or a first line that only starts like one', async () => {
    expect(await readTexts(['H1\nsep=,\n'])).toEqual(['H1', 'sep=,']);
    expect(await readTexts(['sep=,,\nsep\nsep=\n'])).toEqual(['sep=,,', 'sep', 'sep=']);
    expect(await readTexts(['sep=,'])).toEqual(['sep=,']);
  });
  it("yields a stream's first line once its chunk holds an LF, before the next chunk arrives", async () => {
    let secondChunkAsked = false;
    async function* slowFeed(): AsyncGenerator<Buffer> {
      yield Buffer.from('H1,H2\n');
      secondChunkAsked = true;
      yield Buffer.from('1,2\n');
    }
    const lines = boundedLinesOf(slowFeed(), LIMITS);
    const first = await lines.next();
    expect(first.value).toMatchObject({ kind: 'line', text: 'H1,H2' });
    expect(secondChunkAsked).toBe(false);
    await lines.return(undefined);
  });

  it('reads a file without a UTF-16 mark as it is: UTF-16 without one is not text', async () => {
    // The LF byte 0x0A still ends a line: its NUL byte after it starts the next one.
    expect(await readTexts([Buffer.from('H1\n', 'utf16le')])).toEqual(['<not_text>', '<not_text>']);
  });

  it('yields a last line that has no trailing newline, and no empty line after a final newline', async () => {
    expect(await readTexts(['a\nb'])).toEqual(['a', 'b']);
    expect(await readTexts(['a\nb\n'])).toEqual(['a', 'b']);
    expect(await readTexts(['a\nb\r'])).toEqual(['a', 'b']);
  });

  it('yields blank lines as empty text and nothing for an empty input', async () => {
    expect(await readTexts(['a\n\n\r\nb\n'])).toEqual(['a', '', '', 'b']);
    expect(await readTexts([])).toEqual([]);
    expect(await readTexts([Buffer.alloc(0)])).toEqual([]);
  });

  it('joins a line split across several chunks', async () => {
    expect(await readTexts(['1,2', ',3', ',4\r', '\n5', ',6'])).toEqual(['1,2,3,4', '5,6']);
  });

  it('decodes a multi-byte character split across chunks whole', async () => {
    const euro = Buffer.from('€', 'utf8'); // E2 82 AC
    const lines = await readAll([
      Buffer.concat([Buffer.from('caf'), euro.subarray(0, 1)]),
      euro.subarray(1, 2),
      Buffer.concat([euro.subarray(2), Buffer.from('\n')]),
    ]);
    expect(lines).toEqual([{ kind: 'line', text: 'caf€', bytes: Buffer.from('caf€') }]);
  });

  it('reports a line that is not UTF-8 with its bytes and goes on with the next line', async () => {
    const invalid = Buffer.from([0x31, 0x2c, 0xff, 0xfe, 0x0d, 0x0a]);
    const lines = await readAll([Buffer.concat([Buffer.from('ok\n'), invalid, Buffer.from('next\n')])]);
    expect(lines).toEqual([
      { kind: 'line', text: 'ok', bytes: Buffer.from('ok') },
      { kind: 'not_text', cause: 'invalid_utf8', bytes: Buffer.from([0x31, 0x2c, 0xff, 0xfe]) },
      { kind: 'line', text: 'next', bytes: Buffer.from('next') },
    ]);
  });

  it('reports a line holding a NUL byte as not text, whether or not the rest is valid UTF-8, and goes on', async () => {
    const withNul = Buffer.from('1,2\u00003,4', 'utf8');
    const lines = await readAll([Buffer.concat([withNul, Buffer.from('\n\u0000\nnext\n')])]);
    expect(lines).toEqual([
      { kind: 'not_text', cause: 'nul_character', bytes: withNul },
      { kind: 'not_text', cause: 'nul_character', bytes: Buffer.from([0]) },
      { kind: 'line', text: 'next', bytes: Buffer.from('next') },
    ]);
  });

  it('reports an encoded surrogate, an overlong form and a truncated sequence as not UTF-8', async () => {
    const lines = await readAll([
      Buffer.from([0xed, 0xa0, 0x80, 0x0a]),
      Buffer.from([0xc0, 0xaf, 0x0a]),
      Buffer.from([0x61, 0xe2, 0x82, 0x0a]),
    ]);
    expect(lines.map((line) => line.kind)).toEqual(['not_text', 'not_text', 'not_text']);
  });

  it('accepts a line of exactly maxLineBytes, its CRLF aside', async () => {
    const exact = 'x'.repeat(LIMITS.maxLineBytes);
    expect(await readTexts([`${exact}\r\n`])).toEqual([exact]);
    expect(await readTexts([exact.slice(0, 10), `${exact.slice(10)}\r`, '\r\n'])).toEqual([exact]);
  });

  it('reports a line over maxLineBytes in one chunk with its prefix, size and hash', async () => {
    const long = 'y'.repeat(LIMITS.maxLineBytes + 1);
    expect(await readAll([`${long}\r\nafter\n`], { maxLineBytes: LIMITS.maxLineBytes, prefixBytes: 8 })).toEqual([
      { kind: 'too_large', prefix: Buffer.from('yyyyyyyy'), byteLength: long.length, sha256: sha256(long) },
      { kind: 'line', text: 'after', bytes: Buffer.from('after') },
    ]);
  });

  it('reports a too-large line spread over many chunks with the hash and size of all its bytes, CRs inside included', async () => {
    const chunk = 'z'.repeat(1000);
    const parts = ['head\nab', '\r', 'c', ...Array.from({ length: 50 }, () => chunk), '\r', '\r', '\n', 'tail'];
    const line = `ab\rc${chunk.repeat(50)}`;
    expect(await readAll(parts, { maxLineBytes: 4096, prefixBytes: 6 })).toEqual([
      { kind: 'line', text: 'head', bytes: Buffer.from('head') },
      { kind: 'too_large', prefix: Buffer.from('ab\rczz'), byteLength: line.length, sha256: sha256(line) },
      { kind: 'line', text: 'tail', bytes: Buffer.from('tail') },
    ]);
  });

  it('never keeps more prefix than maxLineBytes', async () => {
    const [line] = await readAll(['q'.repeat(100)], { maxLineBytes: 10, prefixBytes: 1000 });
    expect(line?.kind === 'too_large' && line.prefix.length).toBe(10);
  });

  it('refuses a maxLineBytes that is not a positive integer', async () => {
    await expect(readAll(['a\n'], { maxLineBytes: 0 })).rejects.toThrow(RangeError);
  });

  it('reads a 200 MB single line in bounded memory, with its size and SHA-256', async () => {
    const chunkBytes = 1024 * 1024;
    const chunkCount = 200;
    const expectedHash = createHash('sha256');
    let peakExternalBytes = 0;
    async function* hugeLine(): AsyncGenerator<Buffer> {
      for (let index = 0; index < chunkCount; index += 1) {
        // A fresh buffer per chunk, as a file stream gives: a reader that kept them would hold 200 MB.
        const chunk = Buffer.alloc(chunkBytes, 0x41 + (index % 26));
        expectedHash.update(chunk);
        peakExternalBytes = Math.max(peakExternalBytes, process.memoryUsage().arrayBuffers);
        yield chunk;
      }
      yield Buffer.from('\r\nnext\n');
    }
    const baselineExternalBytes = process.memoryUsage().arrayBuffers;
    const lines: SourceLine[] = [];
    for await (const line of boundedLinesOf(hugeLine(), { maxLineBytes: 900 * 1024, prefixBytes: 512 * 1024 })) {
      lines.push(line);
    }
    const [huge, next] = lines;
    if (huge?.kind !== 'too_large') throw new Error(`expected a too-large line, got ${huge?.kind}`);
    expect(huge.byteLength).toBe(chunkBytes * chunkCount);
    expect(huge.sha256).toBe(expectedHash.digest('hex'));
    expect(huge.prefix).toEqual(Buffer.alloc(512 * 1024, 0x41));
    expect(next).toMatchObject({ kind: 'line', text: 'next' });
    expect(peakExternalBytes - baselineExternalBytes).toBeLessThan(100 * 1024 * 1024);
  });
});

describe('linesOf', () => {
  it('yields the text of each line of a trusted file', async () => {
    const lines: string[] = [];
    for await (const line of linesOf(chunksOf(['\uFEFFa\r\r\nb']))) lines.push(line);
    expect(lines).toEqual(['a', 'b']);
  });

  it('throws on a line that is not UTF-8, naming its line number', async () => {
    const lines = linesOf(chunksOf([Buffer.from([0x61, 0x0a, 0xff, 0x0a])]));
    await expect(lines.next()).resolves.toEqual({ done: false, value: 'a' });
    await expect(lines.next()).rejects.toThrow('line 2 is not UTF-8 text');
  });
});

describe('holdsNulCharacter', () => {
  it('finds U+0000 anywhere in decoded text, and nothing in text without it', () => {
    expect(holdsNulCharacter('CLM*1\u0000*100~')).toBe(true);
    expect(holdsNulCharacter('\u0000')).toBe(true);
    expect(holdsNulCharacter('CLM*1*100~')).toBe(false);
    expect(holdsNulCharacter('')).toBe(false);
    // The digit zero and the replacement character are text.
    expect(holdsNulCharacter('0\uFFFD')).toBe(false);
  });
});
