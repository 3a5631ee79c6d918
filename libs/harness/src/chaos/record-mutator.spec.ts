import { ChaosRandom } from './chaos-random';
import { RECORD_MUTATIONS, badFiles, breakX12Envelope, fuzzDelimitedFile, mutateRecord } from './record-mutator';

const RECORD = Buffer.from('MEMBER01,CLAIM0001,20090101,20090102,99213,12.50,A,ICD1,ICD2,NPI123');
const OPTIONS = { delimiter: ',', protectedFields: 2 };
const KEY = 'MEMBER01,CLAIM0001,';

/** A one-interchange, one-set 837 envelope (segment bodies elided): what the breaker reads. */
const INTERCHANGE =
  'ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240102*1200*^*00501*000000001*0*P*:~' +
  'GS*HC*SUBMITTER*RECEIVER*20240102*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~BHT*0019*00*1*20240102*1200*CH~' +
  'SE*3*0001~GE*1*1~IEA*1*000000001~';

describe('mutateRecord', () => {
  it.each(RECORD_MUTATIONS)('leaves the key fields and the record on one line under %s', (mutation) => {
    for (let seed = 0; seed < 40; seed += 1) {
      const mutated = mutateRecord(RECORD, mutation, new ChaosRandom(seed), OPTIONS);
      expect(mutated.subarray(0, KEY.length).toString()).toBe(KEY);
      expect(mutated.includes(0x0a)).toBe(false);
      expect(mutated.includes(0x0d)).toBe(false);
      expect(mutated.includes(0x22)).toBe(false);
    }
  });

  it('changes the record under every mutation', () => {
    for (const mutation of RECORD_MUTATIONS) {
      expect(mutateRecord(RECORD, mutation, new ChaosRandom(3), OPTIONS).equals(RECORD)).toBe(false);
    }
  });

  it('makes a huge field at least 4 KiB long', () => {
    const mutated = mutateRecord(RECORD, 'huge-field', new ChaosRandom(5), OPTIONS);
    expect(mutated.length).toBeGreaterThan(RECORD.length + 4_000);
  });

  it('writes bytes that are not UTF-8 text under wrong-encoding', () => {
    const foreign = Array.from({ length: 50 }, (_, seed) =>
      mutateRecord(RECORD, 'wrong-encoding', new ChaosRandom(seed), OPTIONS),
    );
    expect(foreign.some((bytes) => !Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes))).toBe(true);
  });

  it('returns a record with nothing past its key unchanged', () => {
    const keyOnly = Buffer.from('MEMBER01,CLAIM0001');
    expect(mutateRecord(keyOnly, 'flip-bytes', new ChaosRandom(1), OPTIONS)).toEqual(keyOnly);
  });

  it('gives the same bytes for the same seed', () => {
    for (const mutation of RECORD_MUTATIONS) {
      const first = mutateRecord(RECORD, mutation, new ChaosRandom(9), OPTIONS);
      // Buffer.equals: jest's deep equality walks a megabyte field byte by byte.
      expect(mutateRecord(RECORD, mutation, new ChaosRandom(9), OPTIONS).equals(first)).toBe(true);
    }
  });
});

describe('fuzzDelimitedFile', () => {
  const file = Buffer.from(
    ['"DESYNPUF_ID","CLM_ID","FROM","THRU"', ...Array.from({ length: 100 }, (_, n) => `M${n},C${n},20090101,20090102`)]
      .join('\n')
      .concat('\n'),
  );

  it('keeps the header, the record count and every key, mutating about the share asked for', () => {
    const fuzzed = fuzzDelimitedFile(file, new ChaosRandom(4), { ...OPTIONS, share: 0.5 });
    const lines = fuzzed.content.toString('latin1').split('\n').filter(Boolean);
    expect(lines[0]).toBe('"DESYNPUF_ID","CLM_ID","FROM","THRU"');
    expect(lines).toHaveLength(101);
    expect(fuzzed.records).toBe(100);
    lines.slice(1).forEach((line, n) => expect(line.startsWith(`M${n},C${n},`)).toBe(true));
    expect(fuzzed.mutatedRecords).toBeGreaterThan(30);
    expect(fuzzed.mutatedRecords).toBeLessThan(70);
    const total = Object.values(fuzzed.mutations).reduce((sum, count) => sum + count, 0);
    expect(total).toBe(fuzzed.mutatedRecords);
  });

  it('mutates nothing at share 0 and gives the same bytes for the same seed', () => {
    expect(fuzzDelimitedFile(file, new ChaosRandom(1), { ...OPTIONS, share: 0 }).content.equals(file)).toBe(true);
    const first = fuzzDelimitedFile(file, new ChaosRandom(8), { ...OPTIONS, share: 0.4 });
    const second = fuzzDelimitedFile(file, new ChaosRandom(8), { ...OPTIONS, share: 0.4 });
    expect(second.content.equals(first.content)).toBe(true);
    expect(second.mutations).toEqual(first.mutations);
  });
});

describe('breakX12Envelope', () => {
  it('miscounts SE01 by one', () => {
    expect(breakX12Envelope(INTERCHANGE, 'se-count')).toContain('SE*4*0001~');
  });

  it('miscounts GE01 by one', () => {
    expect(breakX12Envelope(INTERCHANGE, 'ge-count')).toContain('GE*2*1~');
  });

  it('drops the IEA trailer', () => {
    const broken = breakX12Envelope(INTERCHANGE, 'iea-missing');
    expect(broken).not.toContain('IEA');
    expect(broken.endsWith('GE*1*1~')).toBe(true);
  });

  it('makes IEA02 differ from ISA13', () => {
    expect(breakX12Envelope(INTERCHANGE, 'iea-control-number')).toContain('IEA*1*000000002~');
  });

  it('cuts the fixed-width ISA short', () => {
    const broken = breakX12Envelope(INTERCHANGE, 'isa-cut');
    expect(broken.indexOf('~')).toBe(60);
    expect(broken).toContain('GS*HC*');
  });
});

describe('badFiles', () => {
  it('writes files of distinct names, one of them empty and one in UTF-16 without a byte-order mark', () => {
    const files = badFiles(new ChaosRandom(1), '"DESYNPUF_ID","CLM_ID"', 'bad');
    expect(new Set(files.map((file) => file.name)).size).toBe(files.length);
    expect(files.some((file) => file.content.length === 0)).toBe(true);
    const utf16 = files.find((file) => file.name.endsWith('-utf16.csv'));
    expect(utf16?.content.subarray(0, 4)).toEqual(Buffer.from('"D', 'utf16le'));
  });
});
