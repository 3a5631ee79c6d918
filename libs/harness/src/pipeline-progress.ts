import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

/** Sum of a topic's end offsets over its partitions: how many records it has ever received. */
export async function topicRecordCount(brokers: string, topic: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'claims-harness', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** How many enriched-topic records the metrics fold has committed, from its own offset table. */
export async function foldedRecordCount(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ total: string | null }>(
      `SELECT sum(next_offset)::text AS total FROM consumer_offset WHERE topic LIKE '%claims.enriched.v1'`,
    );
    return Number(result.rows[0]?.total ?? 0);
  } finally {
    await client.end();
  }
}

/** Runs one query against a database and returns its rows; for assertions on claim state. */
export async function queryRows<Row extends Record<string, unknown>>(
  databaseUrl: string,
  sql: string,
  parameters: unknown[] = [],
): Promise<Row[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(sql, parameters)).rows;
  } finally {
    await client.end();
  }
}
