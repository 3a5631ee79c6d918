import { Kafka, logLevel, type Admin } from 'kafkajs';
import { foldedRecordCount } from '../pipeline-progress';

/** How far each stage has got: end offsets of its output topic, and the fold's committed offsets. */
export interface StageCounts {
  raw: number;
  normalized: number;
  enriched: number;
  folded: number;
}

export type Stage = keyof StageCounts;

const READING_REUSE_MS = 200;

/**
 * Reads the pipeline's progress a few times a second while faults are
 * injected. One admin client for the run (a new one per reading would cost
 * a connection each time); it is made again after the broker has been away.
 */
export class ProgressProbe {
  private admin: Admin | null = null;
  private reading: { at: number; counts: Promise<StageCounts | null> } | null = null;

  constructor(
    private readonly brokers: string,
    private readonly namespace: string,
    private readonly databaseUrl: string,
  ) {}

  /**
   * The counts now, or null while the broker or the database does not
   * answer. Readings less than READING_REUSE_MS apart are shared, so several
   * faults recovering at once do not multiply the probe's load.
   */
  counts(): Promise<StageCounts | null> {
    const now = Date.now();
    if (this.reading && now - this.reading.at < READING_REUSE_MS) return this.reading.counts;
    const counts = this.read();
    this.reading = { at: now, counts };
    return counts;
  }

  private async read(): Promise<StageCounts | null> {
    try {
      const ends = await this.readTopicEnds();
      const folded = await foldedRecordCount(this.databaseUrl);
      return { ...ends, folded };
    } catch {
      await this.dropAdmin();
      return null;
    }
  }

  /** The stages' output topic ends alone, from the broker: what can be read while Postgres is down. */
  async topicEnds(): Promise<Omit<StageCounts, 'folded'> | null> {
    try {
      return await this.readTopicEnds();
    } catch {
      await this.dropAdmin();
      return null;
    }
  }

  private async readTopicEnds(): Promise<Omit<StageCounts, 'folded'>> {
    const admin = await this.connectedAdmin();
    const [raw, normalized, enriched] = await Promise.all(
      ['claims.raw.v1', 'claims.normalized.v1', 'claims.enriched.v1'].map(async (topic) => {
        const offsets = await admin.fetchTopicOffsets(`${this.namespace}.${topic}`);
        return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
      }),
    );
    return { raw: raw ?? 0, normalized: normalized ?? 0, enriched: enriched ?? 0 };
  }

  /**
   * A consumer group's state and how many members it lists now (an expired
   * member is no longer listed, even while the group rebalances), or null
   * while the broker does not answer.
   */
  async group(groupId: string): Promise<{ state: string; members: number } | null> {
    try {
      const admin = await this.connectedAdmin();
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      return { state: group?.state ?? 'Dead', members: group?.members.length ?? 0 };
    } catch {
      await this.dropAdmin();
      return null;
    }
  }

  async close(): Promise<void> {
    await this.dropAdmin();
  }

  private async connectedAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    const kafka = new Kafka({
      clientId: 'claims-chaos-probe',
      brokers: this.brokers.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
      connectionTimeout: 2_000,
      requestTimeout: 5_000,
    });
    const admin = kafka.admin();
    await admin.connect();
    this.admin = admin;
    return admin;
  }

  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
