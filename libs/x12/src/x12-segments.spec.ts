import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { separatorsOfIsa, x12TokensOf, type X12Token } from './x12-segments';
import { X12_SAMPLES } from './__tests__/x12-samples';

const SAMPLE = join(X12_SAMPLES, 'linuxforhealth', '837_005010X222A2', 'demo.example1.837');

async function tokensOf(chunks: Array<string | Uint8Array>): Promise<X12Token[]> {
  const tokens: X12Token[] = [];
  async function* source(): AsyncGenerator<string | Uint8Array> {
    yield* chunks;
  }
  for await (const token of x12TokensOf(source())) tokens.push(token);
  return tokens;
}

const tags = (tokens: X12Token[]): string[] =>
  tokens.map((token) => (token.kind === 'segment' ? token.segment.tag : `!${token.error.code}`));

/** An ISA written with other separators: `|` elements, `}` repetitions, `>` components, `!` terminator. */
const OTHER_SEPARATORS =
  'ISA|00|          |00|          |ZZ|SENDER         |ZZ|RECEIVER       |240101|1200|}|00501|000000001|0|P|>!' +
  'GS|HC|SENDER|RECEIVER|20240101|1200|1|X|005010X222A1!' +
  'ST|837|0001|005010X222A1!CLM|A1|10.5***11>B>1!SE|3|0001!GE|1|1!IEA|1|000000001!';

describe('x12TokensOf', () => {
  it('reads the separators from the ISA segment, here | } > and ! instead of * ^ : and ~', async () => {
    const tokens = await tokensOf([OTHER_SEPARATORS]);
    expect(tags(tokens)).toEqual(['ISA', 'GS', 'ST', 'CLM', 'SE', 'GE', 'IEA']);
    const clm = tokens[3];
    if (clm?.kind !== 'segment') throw new Error('expected CLM');
    expect(clm.segment.separators).toEqual({ element: '|', repetition: '}', component: '>', segment: '!' });
    expect(clm.segment.elements[2]).toBe('10.5***11>B>1');
  });

  it('reads a file without line breaks and the same file with CRLF after every segment alike', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const withoutBreaks = text.replace(/\r?\n/g, '');
    const withCrlf = withoutBreaks.replace(/~/g, '~\r\n');
    const plain = await tokensOf([withoutBreaks]);
    const broken = await tokensOf([withCrlf]);
    expect(tags(plain)).toEqual(tags(broken));
    expect(plain).toHaveLength(withoutBreaks.split('~').filter((piece) => piece !== '').length);
    expect(plain.every((token) => token.kind === 'segment')).toBe(true);
  });

  it('numbers segments by their position in the input, whatever the chunk boundaries (here one byte per chunk)', async () => {
    const bytes = readFileSync(SAMPLE);
    const whole = await tokensOf([bytes]);
    const byteByByte = await tokensOf([...bytes].map((byte) => Uint8Array.of(byte)));
    expect(byteByByte).toEqual(whole);
    const last = whole[whole.length - 1];
    expect(last?.kind === 'segment' && [last.segment.tag, last.segment.number]).toEqual(['IEA', 44]);
  });

  it('reports unreadable ISA separators as X12_SEPARATORS_INVALID and resumes at the next ISA', async () => {
    const broken = 'ISAX00X          X00' + 'garbage~GS*HC~';
    const tokens = await tokensOf([broken + OTHER_SEPARATORS]);
    expect(tags(tokens)).toEqual(['!X12_SEPARATORS_INVALID', 'ISA', 'GS', 'ST', 'CLM', 'SE', 'GE', 'IEA']);
  });

  it('resumes after unreadable ISA separators at the next ISA whatever the chunk boundaries, and reports the damage once', async () => {
    // An ISA inside data (a name) does not start an interchange.
    const broken = 'ISAX00X          X00' + 'garbage~GS*HC~NM1*QC*1*MELISSA*ISAAC~' + 'MORE*DAMAGE~'.repeat(40);
    const whole = tags(await tokensOf([broken + OTHER_SEPARATORS]));
    expect(whole).toEqual(['!X12_SEPARATORS_INVALID', 'ISA', 'GS', 'ST', 'CLM', 'SE', 'GE', 'IEA']);
    const bytes = Buffer.from(broken + OTHER_SEPARATORS);
    for (const size of [1, 2, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
      expect(tags(await tokensOf(chunks))).toEqual(whole);
    }
  });

  it('reports an overlong segment as X12_SEGMENT_TOO_LONG whether or not its terminator comes in the same read, and reads on at the next segment', async () => {
    const overlong = OTHER_SEPARATORS.replace('CLM|A1|10.5***11>B>1!', `NTE|${'x'.repeat(80)}!`);
    const read = async (chunks: string[]): Promise<X12Token[]> => {
      const tokens: X12Token[] = [];
      async function* source(): AsyncGenerator<string> {
        yield* chunks;
      }
      for await (const token of x12TokensOf(source(), { maxSegmentChars: 60 })) tokens.push(token);
      return tokens;
    };
    const expected = ['ISA', 'GS', 'ST', '!X12_SEGMENT_TOO_LONG', 'SE', 'GE', 'IEA'];
    const whole = await read([overlong]);
    expect(tags(whole)).toEqual(expected);
    const error = whole[3];
    expect(error?.kind === 'syntax_error' && error.error.location).toEqual({ segmentNumber: 4, elementPosition: 0 });
    const pieces = overlong.match(/[^]{1,7}/g) ?? [];
    expect(tags(await read(pieces))).toEqual(expected);
  });

  it('reports input that ends inside a segment as X12_TRUNCATED at that segment number', async () => {
    const tokens = await tokensOf([OTHER_SEPARATORS.slice(0, OTHER_SEPARATORS.indexOf('SE|3')) + 'SE|3|00']);
    const last = tokens[tokens.length - 1];
    expect(last?.kind === 'syntax_error' && [last.error.code, last.error.location]).toEqual([
      'X12_TRUNCATED',
      { segmentNumber: 5, elementPosition: 0 },
    ]);
  });

  it('refuses an ISA that uses one character for two separators', () => {
    const same = OTHER_SEPARATORS.replace('|>!', '|!!');
    expect(() => separatorsOfIsa(same)).toThrow(/same character/);
  });

  it('declares no repetition separator with an ISA11 that another separator or the data could hold', () => {
    for (const isa11 of ['>', '!', 'U', '0', ' ']) {
      const isa = OTHER_SEPARATORS.replace('|}|00501|', `|${isa11}|00501|`);
      expect([isa11, separatorsOfIsa(isa)?.separators]).toEqual([
        isa11,
        { element: '|', repetition: null, component: '>', segment: '!' },
      ]);
    }
  });

  it('has no repetition separator before 005010 (ISA11 was the standards identifier U)', () => {
    const isa = OTHER_SEPARATORS.replace('|}|00501|', '|U|00401|');
    expect(separatorsOfIsa(isa)?.separators.repetition).toBeNull();
  });
});
