import { METRICS_REGISTRY } from '@claims/observability';
import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { PendIndexRepository } from '../pend-index/pend-index.repository';
import { EnrichmentState } from './enrichment-state';

/**
 * What the enricher holds, read at scrape time: the directory's entries and
 * versions by kind (a stalled reference stream shows as a flat line while
 * fixes are published), and the claims waiting in the pended queue.
 */
@Injectable()
export class EnricherGauges {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, state: EnrichmentState, pendIndex: PendIndexRepository) {
    new Gauge({
      name: 'claims_reference_directory_entries',
      help: 'Reference entries the enricher holds in process, by kind (provider, provider_group, service_location, member_year) and what is counted (entries or versions).',
      labelNames: ['kind', 'count'],
      registers: [registry],
      collect() {
        const size = state.tables.size();
        this.set({ kind: 'provider', count: 'entries' }, size.providers);
        this.set({ kind: 'provider', count: 'versions' }, size.providerVersions);
        this.set({ kind: 'provider_group', count: 'entries' }, size.groups);
        this.set({ kind: 'provider_group', count: 'versions' }, size.groupVersions);
        this.set({ kind: 'service_location', count: 'entries' }, size.locations);
        this.set({ kind: 'service_location', count: 'versions' }, size.locationVersions);
        this.set({ kind: 'member_year', count: 'entries' }, size.memberYears);
      },
    });
    new Gauge({
      name: 'claims_pended_claims_waiting',
      help: 'Claims the enricher holds in the pended queue, waiting on a reference fix or adjudication.',
      registers: [registry],
      async collect() {
        this.set(await pendIndex.waitingCount());
      },
    });
  }
}
