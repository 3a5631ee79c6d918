import { sha256Hex } from '@claims/contracts';
import { uniqueSuffix, waitFor } from '@claims/harness';
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** What a source file holds, read straight from its bytes: what the pipeline's output is compared with. */
export interface SourceFileTruth {
  source: string;
  fileId: string;
  /** Data rows: the header and blank lines aside. */
  rows: number;
  /** Distinct values of the key columns: a multi-row claim counts once. */
  distinctKeys: number;
}

/** Splits a header or row of a CSV (quotes honoured) or a pipe-delimited file. */
function cells(line: string, delimiter: string): string[] {
  if (delimiter !== ',') return line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === '"') {
      if (quoted && line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else quoted = !quoted;
    } else if (char === delimiter && !quoted) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** The column names of a file's header row. */
export function headerColumnsOf(path: string): string[] {
  const header = (
    readFileSync(path, 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)[0] ?? ''
  ).trim();
  const delimiter = header.includes('|') ? '|' : header.includes(';') ? ';' : ',';
  return cells(header, delimiter).map((name) => name.trim());
}

export function sourceFileTruth(path: string, keyColumns: readonly string[]): SourceFileTruth {
  const bytes = readFileSync(path);
  const [header = '', ...rows] = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const delimiter = header.includes('|') ? '|' : header.includes(';') ? ';' : ',';
  const names = cells(header, delimiter).map((name) => name.trim());
  const indexes = keyColumns.map((column) => {
    const index = names.indexOf(column);
    if (index === -1) throw new Error(`${basename(path)} has no column ${column}`);
    return index;
  });
  const keys = new Set(
    rows.map((row) => indexes.map((index) => (cells(row, delimiter)[index] ?? '').trim()).join('|')),
  );
  return { source: basename(path), fileId: sha256Hex(bytes), rows: rows.length, distinctKeys: keys.size };
}

/** Every message a topic holds now, values parsed as JSON: read from the start to the current end offsets. */
export async function readWholeTopic<T>(brokers: string, topic: string): Promise<T[]> {
  const kafka = new Kafka({ clientId: 'e2e-sources-reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, Number(entry.high)]));
  await admin.disconnect();
  const expected = [...ends.values()].reduce((sum, high) => sum + high, 0);
  const values: T[] = [];
  if (expected === 0) return values;
  const consumer = kafka.consumer({ groupId: `e2e-sources-reader-${uniqueSuffix()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let read = 0;
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (Number(message.offset) >= (ends.get(partition) ?? 0)) return;
      read += 1;
      if (message.value) values.push(JSON.parse(message.value.toString()) as T);
    },
  });
  try {
    await waitFor(
      `${expected} messages of ${topic}`,
      async () => read,
      (count) => count >= expected,
      {
        timeoutMs: 60_000,
      },
    );
  } finally {
    await consumer.disconnect();
  }
  return values;
}
