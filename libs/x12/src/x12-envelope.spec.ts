import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  transactionSetText,
  x12EnvelopeVerdictsOf,
  x12TransactionSetsOf,
  type X12EnvelopeItem,
  type X12SplitOptions,
} from './x12-envelope';
import { x12TokensOf } from './x12-segments';
import { X12_SAMPLES } from './__tests__/x12-samples';

const X12 = X12_SAMPLES;
const read = (...path: string[]): string => readFileSync(join(X12, ...path), 'utf8');

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function split(text: string, options: X12SplitOptions = {}): Promise<X12EnvelopeItem[]> {
  const items: X12EnvelopeItem[] = [];
  for await (const item of x12TransactionSetsOf(x12TokensOf(once(text)), options)) items.push(item);
  return items;
}

/** Both passes, as the ingestor runs them: verdicts first, then the split that fails what they fail. */
async function splitTwice(text: string): Promise<X12EnvelopeItem[]> {
  const verdicts = await x12EnvelopeVerdictsOf(x12TokensOf(once(text)));
  return split(text, { verdicts });
}

const summary = (items: X12EnvelopeItem[]) =>
  items.map((item) =>
    item.kind === 'transaction'
      ? ['ok', item.transaction.recordNumber, item.transaction.controlNumber]
      : ['failed', item.recordNumber, item.failure.scope, item.failure.error.location],
  );

const PROFESSIONAL = read('linuxforhealth', '837_005010X222A2', 'demo.example1.837');
const INSTITUTIONAL = read('linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i');
const ACKNOWLEDGEMENTS = read('pyx12', '834_lui_id_5010.999.txt');

describe('x12TransactionSetsOf', () => {
  it('splits a file of two groups of two transaction sets into four, each with its envelope', async () => {
    const items = await split(ACKNOWLEDGEMENTS);
    expect(summary(items)).toEqual([
      ['ok', 1, '0001'],
      ['ok', 2, '0002'],
      ['ok', 3, '0003'],
      ['ok', 4, '0004'],
    ]);
    const third = items[2];
    if (third?.kind !== 'transaction') throw new Error('expected a transaction set');
    expect(third.transaction.envelope).toMatchObject({
      interchangeControlNumber: '308082146',
      groupControlNumber: '102',
      functionalIdentifierCode: 'FA',
      groupVersion: '005010X231',
    });
    expect(third.transaction.implementationReference).toBe('005010X231');
  });

  it('gives each transaction set its own text, segments joined by the original terminator, from ST to SE', async () => {
    const [item] = await split(INSTITUTIONAL);
    if (item?.kind !== 'transaction') throw new Error('expected a transaction set');
    const text = transactionSetText(item.transaction);
    expect(text.startsWith('ST*837*987654*005010X223A3~BHT*')).toBe(true);
    expect(text.endsWith('~SE*48*987654~')).toBe(true);
    expect(text.split('~').filter(Boolean)).toHaveLength(48);
  });

  it('fails only the transaction set whose SE01 count is wrong, located at SE01, and the next one still flows', async () => {
    const twoSets = ACKNOWLEDGEMENTS.replace('SE*6*0001~', 'SE*7*0001~');
    const items = await splitTwice(twoSets);
    expect(summary(items)).toEqual([
      ['failed', 1, 'transaction', { segmentNumber: 8, elementPosition: 1 }],
      ['ok', 2, '0002'],
      ['ok', 3, '0003'],
      ['ok', 4, '0004'],
    ]);
    const failed = items[0];
    expect(failed?.kind === 'failure' && failed.failure.error.code).toBe('X12_ENVELOPE_INVALID');
    expect(failed?.kind === 'failure' && failed.transaction?.segments).toHaveLength(6);
  });

  it('fails only the transaction set holding an overlong segment, located at it, and reads the sets after it', async () => {
    const overlong = `NTE*${'x'.repeat(70_000)}~`;
    const items = await splitTwice(ACKNOWLEDGEMENTS.replace('SE*6*0002~', `${overlong}SE*7*0002~`));
    expect(summary(items)).toEqual([
      ['ok', 1, '0001'],
      ['failed', 2, 'transaction', { segmentNumber: 14, elementPosition: 0 }],
      ['ok', 3, '0003'],
      ['ok', 4, '0004'],
    ]);
    const failed = items[1];
    expect(failed?.kind === 'failure' && failed.failure.error.code).toBe('X12_SEGMENT_TOO_LONG');
  });

  it('fails an overlong segment that swallowed terminators as one record, not one per segment after it', async () => {
    // A lost terminator: the AK9 of set 0001 runs on through its SE and the ST of set 0002.
    const swallowed = ACKNOWLEDGEMENTS.replace(
      /AK9\*A\*1\*1\*1~\s*SE\*6\*0001~\s*ST\*999\*0002\*005010X231~/,
      `AK9*A*1*1*1${'x'.repeat(70_000)}SE*6*0001ST*999*0002*005010X231~`,
    );
    const items = await splitTwice(swallowed);
    expect(summary(items)).toEqual([
      ['failed', 1, 'transaction', { segmentNumber: 7, elementPosition: 0 }],
      ['ok', 2, '0003'],
      ['ok', 3, '0004'],
    ]);
  });

  it('fails the transaction set whose SE02 does not match its ST02, located at SE02', async () => {
    const items = await splitTwice(ACKNOWLEDGEMENTS.replace('SE*6*0002~', 'SE*6*9999~'));
    expect(summary(items)[1]).toEqual(['failed', 2, 'transaction', { segmentNumber: 14, elementPosition: 2 }]);
  });

  it('fails every transaction set of a group whose GE01 count is wrong, and the other group flows', async () => {
    const items = await splitTwice(ACKNOWLEDGEMENTS.replace('GE*2*344666205~', 'GE*3*344666205~'));
    expect(summary(items)).toEqual([
      ['failed', 1, 'group', { segmentNumber: 15, elementPosition: 1 }],
      ['failed', 2, 'group', { segmentNumber: 15, elementPosition: 1 }],
      ['ok', 3, '0003'],
      ['ok', 4, '0004'],
    ]);
  });

  it('fails the whole interchange whose IEA is missing, and the interchange after it flows', async () => {
    const withoutIea = INSTITUTIONAL.replace(/IEA\*1\*000000907~\s*$/, '');
    const items = await splitTwice(`${withoutIea}${PROFESSIONAL}`);
    expect(summary(items)).toEqual([
      // The IEA was due where the next ISA stands: segment 52 (51 segments in the first interchange).
      ['failed', 1, 'interchange', { segmentNumber: 52, elementPosition: 0 }],
      ['ok', 2, '0021'],
    ]);
  });

  it('names a damaged segment tag outside a transaction set by its code points, so the reason is printable', async () => {
    const damaged = PROFESSIONAL.replace(/(GE\*1\*)/, '\u0000\u00E9Z*1~$1');
    const failures = (await split(damaged)).flatMap((item) => (item.kind === 'failure' ? [item.failure] : []));
    expect(failures.map((failure) => failure.error.message)).toContainEqual(
      expect.stringMatching(/^segment \\u\{0\}\\u\{E9\}Z outside a transaction set \(segment \d+, element 0\)$/),
    );
  });

  it('gives a stray segment outside any transaction set a failure carrying that segment, so its dead letter shows it', async () => {
    const stray = PROFESSIONAL.replace(/(GS\*)/, 'REF*EA*STRAY-1~$1');
    const failures = (await splitTwice(stray)).flatMap((item) => (item.kind === 'failure' ? [item] : []));
    expect(failures.map((item) => [item.failure.scope, item.failure.error.location, item.record])).toEqual([
      ['segment', { segmentNumber: 2, elementPosition: 0 }, 'REF*EA*STRAY-1~'],
    ]);
  });

  it('gives an SE, GE or IEA without its header failures carrying their own segments', async () => {
    const items = await split(`${PROFESSIONAL}SE*2*0001~GE*1*9~IEA*1*9~`);
    const failures = items.flatMap((item) =>
      item.kind === 'failure' ? [[item.failure.error.message, item.record]] : [],
    );
    expect(failures).toEqual([
      ['SE without its ST (segment 45, element 0)', 'SE*2*0001~'],
      ['GE without its GS (segment 46, element 0)', 'GE*1*9~'],
      ['IEA without its ISA (segment 47, element 0)', 'IEA*1*9~'],
    ]);
  });

  it('gives a failed transaction set a record that is its own text, as transactionSetText writes it', async () => {
    const items = await splitTwice(ACKNOWLEDGEMENTS.replace('SE*6*0001~', 'SE*7*0001~'));
    const failed = items[0];
    if (failed?.kind !== 'failure' || failed.transaction === null) throw new Error('expected a failed set');
    expect(failed.record).toBe(transactionSetText(failed.transaction));
    expect(failed.record.startsWith('ST*999*0001*')).toBe(true);
  });

  it('reads an interchange acknowledgement (TA1) after the ISA as part of the envelope, not as a stray segment', async () => {
    const isa = PROFESSIONAL.slice(0, PROFESSIONAL.indexOf('~') + 1);
    const ta1Only = `${isa}TA1*000000905*240101*1200*A*000~IEA*0*000000907~`;
    expect(summary(await splitTwice(ta1Only))).toEqual([]);
    const withGroup = PROFESSIONAL.replace(/(GS\*)/, 'TA1*000000905*240101*1200*R*022~$1');
    expect(summary(await splitTwice(withGroup))).toEqual([['ok', 1, '0021']]);
  });

  it('still fails a TA1 standing inside a functional group, where X12.5 allows none', async () => {
    const misplaced = PROFESSIONAL.replace(/(ST\*837)/, 'TA1*000000905*240101*1200*A*000~$1');
    const failures = (await splitTwice(misplaced)).flatMap((item) => (item.kind === 'failure' ? [item] : []));
    expect(failures.map((item) => [item.failure.error.message, item.record])).toEqual([
      ['segment TA1 outside a transaction set (segment 3, element 0)', 'TA1*000000905*240101*1200*A*000~'],
    ]);
  });

  it('fails a transaction set outside a functional group with its own bytes, so its dead letter can be replayed', async () => {
    const withoutGroup = PROFESSIONAL.replace(/GS\*[^~]*~\s*/, '')
      .replace(/GE\*[^~]*~\s*/, '')
      .replace('IEA*1*', 'IEA*0*');
    const [item, ...rest] = await splitTwice(withoutGroup);
    expect(rest).toEqual([]);
    expect(item?.kind === 'failure' && [item.failure.scope, item.failure.error.message]).toEqual([
      'transaction',
      'ST outside a functional group (segment 2, element 0)',
    ]);
    const sent = PROFESSIONAL.slice(PROFESSIONAL.indexOf('ST*837'), PROFESSIONAL.indexOf('GE*'));
    expect(item?.kind === 'failure' && item.transaction && transactionSetText(item.transaction)).toBe(
      sent.replace(/\r?\n/g, ''),
    );
  });

  it('fails an interchange whose IEA02 does not match ISA13, located at IEA02', async () => {
    const items = await splitTwice(PROFESSIONAL.replace('IEA*1*000000907', 'IEA*1*000000908'));
    expect(summary(items)).toEqual([['failed', 1, 'interchange', { segmentNumber: 44, elementPosition: 2 }]]);
  });

  it('fails a transaction set cut short by the end of the file, located after the last segment', async () => {
    const truncated = PROFESSIONAL.slice(0, PROFESSIONAL.indexOf('LX*3'));
    const items = await splitTwice(truncated);
    expect(summary(items)).toEqual([['failed', 1, 'transaction', { segmentNumber: 36, elementPosition: 0 }]]);
  });

  it('reports a group trailer error on its own after the transaction sets went out when no verdicts are given', async () => {
    const items = await split(ACKNOWLEDGEMENTS.replace('GE*2*344666205~', 'GE*2*1~'));
    expect(summary(items)).toEqual([
      ['ok', 1, '0001'],
      ['ok', 2, '0002'],
      ['failed', 3, 'group', { segmentNumber: 15, elementPosition: 2 }],
      ['ok', 4, '0003'],
      ['ok', 5, '0004'],
    ]);
  });

  it('reads every vendored 5010 sample with no envelope failure', async () => {
    for (const folder of ['837_005010X222A2', '837_005010X223A3', '835_005010X221A1']) {
      const dir = join(X12, 'linuxforhealth', folder);
      for (const name of readdirSync(dir)) {
        const items = await splitTwice(readFileSync(join(dir, name), 'utf8'));
        expect([name, items.map((item) => item.kind)]).toEqual([name, ['transaction']]);
      }
    }
  });
});
