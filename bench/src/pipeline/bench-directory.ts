import {
  DIRECTORY_NAME_POOL,
  DirectoryIdentifierCollector,
  loadReferenceCodes,
  synthesizeDirectory,
  type DirectoryIdentifiers,
  type NpiSighting,
} from '@claims/enrichment';
import { REPO_ROOT, publishReferenceEvents, readProcessMemory, waitFor } from '@claims/harness';
import { claimEventsOfFile, loadSourceLayouts } from '@claims/source-layouts';
import { join } from 'node:path';

/** Claims read from the head of each file for its identifiers: the generator draws from pools the head covers. */
const IDENTIFIER_SAMPLE_CLAIMS = 50_000;

export interface BenchDirectory {
  providers: number;
  versions: number;
  /** Seconds from the first publish to the enricher holding every version. */
  loadSeconds: number;
  /**
   * The largest enricher instance's resident memory once it holds the
   * directory, before any claim (what the directory itself costs), and its
   * peak since start-up (the load included); null when no instance could be read.
   */
  enricherMemory: { rssBytes: number; peakRssBytes: number } | null;
}

/**
 * A provider directory of `providers` entries for generated files: the
 * files' own NPIs, tax ids and CCNs (with the synthetic directory's share of
 * flaws, so the pend and clear paths run at their realistic share) plus
 * providers the file never names, as a real directory holds many more than
 * one feed uses. Published to the pipeline's reference topics; resolves once
 * every enricher instance's gauge shows it holds every provider version (each
 * instance reads the whole reference stream).
 */
export async function publishBenchDirectory(options: {
  /** Every file the directory serves: each seed draws its providers from pools of its own. */
  files: readonly string[];
  providers: number;
  seed: number;
  brokers: string;
  namespace: string;
  enrichers: ReadonlyArray<{ baseUrl: string; pid: number | null }>;
}): Promise<BenchDirectory> {
  const collector = new DirectoryIdentifierCollector();
  const reading = { layouts: loadSourceLayouts(), patientTokenKey: 'bench-directory' };
  for (const file of options.files) {
    let read = 0;
    for await (const event of claimEventsOfFile(file, reading)) {
      collector.add(event);
      read += 1;
      if (read >= IDENTIFIER_SAMPLE_CLAIMS) break;
    }
  }
  const identifiers = padded(collector.identifiers(), options.providers);
  const directory = synthesizeDirectory(identifiers, {
    seed: options.seed,
    namePool: DIRECTORY_NAME_POOL,
    codes: loadReferenceCodes(join(REPO_ROOT, 'data', 'codes')),
  });
  const providerVersions = directory.events.filter((event) => event.kind === 'provider').length;
  const started = process.hrtime.bigint();
  await publishReferenceEvents(directory.events, options.brokers.split(','), options.namespace);
  for (const enricher of options.enrichers) {
    await waitFor(
      `the enricher at ${enricher.baseUrl} to hold the ${providerVersions} provider versions of the directory`,
      () => providerVersionsHeld(enricher.baseUrl),
      (held) => held >= providerVersions,
      { timeoutMs: 600_000, intervalMs: 500 },
    );
  }
  const loadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const memories = options.enrichers.flatMap((enricher) => {
    const memory = enricher.pid === null ? null : readProcessMemory(enricher.pid);
    return memory === null ? [] : [memory];
  });
  return {
    providers: directory.summary.providers,
    versions: directory.events.length,
    loadSeconds,
    enricherMemory:
      memories.length === 0
        ? null
        : {
            rssBytes: Math.max(...memories.map((memory) => memory.rssBytes)),
            peakRssBytes: Math.max(...memories.map((memory) => memory.peakRssBytes)),
          },
  };
}

/** The identifiers, with NPIs no claim names added until there are `providers` in all. */
function padded(identifiers: DirectoryIdentifiers, providers: number): DirectoryIdentifiers {
  const npis = new Map<string, NpiSighting>(identifiers.npis);
  for (let index = 0; npis.size < providers; index += 1) {
    const npi = String(9_000_000_000 + index);
    if (npis.has(npi)) continue;
    npis.set(npi, {
      npi,
      roles: new Set(['rendering']),
      taxId: null,
      ccn: null,
      firstSeen: '2008-01-01',
      stateHint: null,
    });
  }
  return { ...identifiers, npis };
}

async function providerVersionsHeld(enricherUrl: string): Promise<number> {
  const exposition = await (await fetch(`${enricherUrl}/metrics`)).text();
  const line = exposition
    .split('\n')
    .find(
      (entry) =>
        entry.startsWith('claims_reference_directory_entries{') &&
        entry.includes('kind="provider"') &&
        entry.includes('count="versions"'),
    );
  return line === undefined ? 0 : Number(line.split(' ').pop());
}
