import {
  ReferenceTables,
  loadPendRuleSet,
  loadReferenceCodes,
  type PendRuleSet,
  type ReferenceCodes,
} from '@claims/enrichment';
import { Inject, Injectable } from '@nestjs/common';
import type { EnricherConfig } from '../enricher.config';
import { ENRICHER_CONFIG } from '../enricher.tokens';
import { SerialLock } from './serial-lock';

/**
 * What the enricher judges claims with, held in process: the directory's
 * every version, the code lists, and the pend rules (validated at start, so a
 * bad rule file stops the service with the rule named, before any claim).
 */
@Injectable()
export class EnrichmentState {
  readonly tables = new ReferenceTables();
  readonly codes: ReferenceCodes;
  readonly ruleSet: PendRuleSet;
  readonly lock = new SerialLock();

  constructor(@Inject(ENRICHER_CONFIG) config: EnricherConfig) {
    this.codes = loadReferenceCodes(config.referenceCodesDir);
    this.ruleSet = loadPendRuleSet(config.pendRulesFile, config.pendCommentRulesFile);
  }
}
