import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex, type RawClaimRecord } from '@claims/contracts';
import {
  x12EnvelopeVerdictsOf,
  x12TransactionSetsOf,
  type X12EnvelopeItem,
  type X12TransactionSet,
} from '../x12-envelope';
import { claimsOf837, type Claim837, type Claims837Options } from '../claim-837';
import { x12LayoutOf } from '../x12-layouts';
import { x12RawRecordEvent } from '../x12-raw-event';
import { x12TokensOf } from '../x12-segments';

/**
 * The vendored X12 samples (data/x12, provenance in data/README.md), found
 * from this file: a test helper outside a spec may not use the harness.
 */
export const X12_SAMPLES = join(__dirname, '..', '..', '..', '..', 'data', 'x12');

export function samplePaths(...folder: string[]): string[] {
  const dir = join(X12_SAMPLES, ...folder);
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name));
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** Every envelope item of a text, failures included, read in both passes as the ingestor reads a file. */
export async function envelopeItemsOfText(text: string): Promise<X12EnvelopeItem[]> {
  const verdicts = await x12EnvelopeVerdictsOf(x12TokensOf(once(text)));
  const items: X12EnvelopeItem[] = [];
  for await (const item of x12TransactionSetsOf(x12TokensOf(once(text)), { verdicts })) items.push(item);
  return items;
}

/** The transaction sets of a text that must have no envelope failure. */
export async function transactionSetsOfText(text: string): Promise<X12TransactionSet[]> {
  const sets: X12TransactionSet[] = [];
  for await (const item of x12TransactionSetsOf(x12TokensOf(once(text)))) {
    if (item.kind !== 'transaction') throw new Error(`unexpected envelope failure: ${item.failure.error.message}`);
    sets.push(item.transaction);
  }
  return sets;
}

export async function transactionSetsOfFile(path: string): Promise<X12TransactionSet[]> {
  return transactionSetsOfText(readFileSync(path, 'utf8'));
}

/**
 * One interchange around one transaction set whose segments after its ST are
 * `body`: ISA/GS/GE/IEA as the samples write them, dated `yymmdd`, SE01 counted.
 */
export function interchangeOfOneSet(version: string, body: readonly string[], yymmdd = '240110'): string {
  const set = [`ST*837*0001*${version}`, ...body];
  return [
    `ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *${yymmdd}*1200*^*00501*000000001*0*T*:`,
    `GS*HC*SUBMITTER*RECEIVER*20${yymmdd}*1200*1*X*${version}`,
    ...set,
    `SE*${set.length + 1}*0001`,
    'GE*1*1',
    'IEA*1*000000001',
  ]
    .map((segment) => `${segment}~`)
    .join('\n');
}

/** The claims the 837 reader makes of every transaction set of a text. */
export async function claims837OfText(text: string, options: Claims837Options): Promise<Claim837[]> {
  const sets = await transactionSetsOfText(text);
  return sets.flatMap((set) => claimsOf837(set.segments, options));
}

/** The raw event the ingestor publishes for a transaction set. */
export function rawEventOf(transaction: X12TransactionSet, source = 'sample.x12'): RawClaimRecord {
  return x12RawRecordEvent(transaction, x12LayoutOf(transaction), {
    source,
    fileId: sha256Hex(source),
    publishedAt: '2026-01-01T00:00:00.000Z',
  });
}

/** Every segment of a raw text with its elements split on `*` (the samples' element separator). */
export function rawSegments(text: string, tag: string): string[][] {
  return text
    .split('~')
    .map((segment) => segment.trim().split('*'))
    .filter((elements) => elements[0] === tag);
}

/** A decimal amount written in the raw text, in cents, computed independently of the mapper. */
export function centsOf(amount: string | undefined): number {
  const [whole = '0', fraction = ''] = (amount ?? '0').replace('-', '').split('.');
  const cents = Number(whole || '0') * 100 + Number((fraction + '00').slice(0, 2));
  return amount?.startsWith('-') ? -cents : cents;
}
