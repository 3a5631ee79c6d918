import {
  MemberReferenceEventSchema,
  ReferenceEventSchema,
  decodeEvent,
  memberReferenceKey,
  type PendDependency,
} from '@claims/contracts';
import { deadLetterFor, type ConsumedBatch, type OutboundMessage } from '@claims/kafka';
import type { Logger } from 'pino';
import type { PendIndexRepository, WaitingClaim } from '../pend-index/pend-index.repository';
import type { EnrichmentState } from './enrichment-state';
import { reconsiderWaitingClaims } from './reconsider-waiting-claims';

/** What a reference batch asks the consumer to send, then to write with `record` once it is sent. */
export interface JudgedReferenceBatch {
  /** Cleared events of the claims the changes let through, stamped with each fix's date. */
  cleared: OutboundMessage<Buffer>[];
  deadLetters: OutboundMessage[];
  /** Files the verdicts in the pend index: only after the cleared events are sent, so none is lost in a crash. */
  record: () => Promise<void>;
}

/**
 * Applies reference versions to the in-process directory and judges again
 * the claims waiting on what changed. It holds no broker: the consumer sends
 * what a batch gives, then records it, all in one turn of the enricher's lock.
 */
export class ReferenceBatchJudge {
  /**
   * Entries changed in the directory whose waiting claims are not recorded
   * as judged yet. The directory takes a version at once, so the retry of a
   * batch that failed after it (the broker refused the clears, Postgres the
   * lookup) finds every version held already and nothing changed: without
   * these, the claims its fix would clear were never judged again.
   */
  private readonly unjudged = new Map<string, PendDependency>();

  constructor(
    private readonly state: EnrichmentState,
    private readonly pendIndex: PendIndexRepository,
    private readonly logger: Logger,
  ) {}

  /**
   * Applies a batch of versions. While the directory loads (`loading` given),
   * the claims waiting on what changed are only noted there, to be judged
   * once it has loaded; otherwise they are judged now.
   */
  async judgeBatch(
    batch: Pick<ConsumedBatch, 'topic' | 'partition' | 'messages'>,
    isMembers: boolean,
    loading: Set<string> | null,
  ): Promise<JudgedReferenceBatch> {
    const deadLetters: OutboundMessage[] = [];
    for (const message of batch.messages) {
      const dependency = isMembers ? this.applyMember(message.value) : this.applyDirectory(message.value);
      if ('failure' in dependency) {
        deadLetters.push(
          deadLetterFor(
            { topic: batch.topic, partition: batch.partition, message },
            'enricher',
            dependency.failure,
            new Date(),
          ),
        );
      } else if (dependency.changed !== null) {
        this.unjudged.set(`${dependency.changed.kind}\u0000${dependency.changed.key}`, dependency.changed);
      }
    }
    const changed = [...this.unjudged.values()];
    if (loading !== null) {
      for (const claimId of await this.pendIndex.claimIdsWaitingOn(changed)) loading.add(claimId);
      return { cleared: [], deadLetters, record: async () => this.forget(changed) };
    }
    const judged = this.judgeWaiting(await this.pendIndex.findWaitingOn(changed));
    return {
      ...judged,
      deadLetters,
      record: async () => {
        await judged.record();
        this.forget(changed);
      },
    };
  }

  private forget(judged: readonly PendDependency[]): void {
    for (const entry of judged) this.unjudged.delete(`${entry.kind}\u0000${entry.key}`);
  }

  /** Judges `waiting` against the directory as it stands. */
  judgeWaiting(waiting: readonly WaitingClaim[]): Omit<JudgedReferenceBatch, 'deadLetters'> {
    const verdicts = reconsiderWaitingClaims(waiting, this.state, this.logger);
    return {
      cleared: verdicts.cleared,
      record: async () => {
        await this.pendIndex.recordVerdicts(verdicts.stillPended, verdicts.clearedClaimIds);
        if (verdicts.clearedClaimIds.length > 0) {
          this.logger.info(
            { cleared: verdicts.clearedClaimIds.length, stillWaiting: verdicts.stillPended.length },
            'reference change cleared pended claims',
          );
        }
      },
    };
  }

  private applyDirectory(
    value: Buffer | null,
  ): { changed: PendDependency | null } | { failure: { code: string; reason: string } } {
    const decoded = decodeEvent(ReferenceEventSchema, value);
    if (!decoded.ok) return { failure: { code: decoded.code, reason: decoded.reason } };
    const changed = this.state.tables.apply(decoded.event);
    return { changed: changed ? { kind: decoded.event.kind, key: decoded.event.key } : null };
  }

  private applyMember(
    value: Buffer | null,
  ): { changed: PendDependency | null } | { failure: { code: string; reason: string } } {
    const decoded = decodeEvent(MemberReferenceEventSchema, value);
    if (!decoded.ok) return { failure: { code: decoded.code, reason: decoded.reason } };
    const member = decoded.event.member;
    const changed = this.state.tables.applyMember(member);
    return { changed: changed ? { kind: 'member', key: memberReferenceKey(member) } : null };
  }
}
