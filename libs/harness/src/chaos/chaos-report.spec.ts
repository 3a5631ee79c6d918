import {
  failureReasons,
  lostAndDoubled,
  percentile,
  renderOutageMemory,
  renderTable,
  runPassed,
  scenarioRow,
  type FileOutcome,
  type ScenarioResult,
} from './chaos-report';

const CHECKS = {
  everyRecordAccountedOnce: true,
  cleanFilesAsGenerated: true,
  badFilesRefused: true,
  verificationConsistent: true,
  kpiTotalsAsManifest: true,
  replayChangedNothing: true,
  noCrashLoop: true,
  faultsRecovered: true,
  memoryFlat: true,
};

function file(overrides: Partial<FileOutcome> = {}): FileOutcome {
  return {
    name: 'carrier.csv',
    kind: 'clean',
    expectedRecords: 100,
    expectedClaims: 100,
    fileId: 'f',
    attempts: 1,
    refused: null,
    recordsRead: 100,
    folded: 100,
    duplicates: 0,
    deadLettered: 0,
    unaccounted: 0,
    status: 'accounted',
    ...overrides,
  };
}

function scenario(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name: 'service-kills',
    description: '',
    durationSeconds: 60,
    faults: [
      {
        fault: { kind: 'service-kill', service: 'metrics', gapMs: 0 },
        description: '',
        injectedAtMs: 0,
        recoverySeconds: 2,
        duringFlow: true,
      },
      {
        fault: { kind: 'broker-kill', gapMs: 0, downMs: 1 },
        description: '',
        injectedAtMs: 0,
        recoverySeconds: 8,
        duringFlow: true,
      },
      {
        fault: { kind: 'service-kill', service: 'api', gapMs: 0 },
        description: '',
        injectedAtMs: 0,
        recoverySeconds: 4,
        duringFlow: false,
      },
    ],
    files: [
      file(),
      file({
        name: 'fuzzed.csv',
        kind: 'fuzzed',
        expectedRecords: 40,
        expectedClaims: null,
        recordsRead: 40,
        folded: 25,
        deadLettered: 15,
      }),
    ],
    expectedClaims: 125,
    claimsReceivedDelta: 125,
    checks: CHECKS,
    problems: [],
    ...overrides,
  };
}

describe('percentile', () => {
  it('answers the nearest-rank percentile, and null for no values', () => {
    expect(percentile([8, 2, 4], 50)).toBe(4);
    expect(percentile([8, 2, 4], 100)).toBe(8);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('lostAndDoubled', () => {
  it('counts nothing when every record is accounted once and the claims equal the manifests', () => {
    expect(lostAndDoubled(scenario())).toEqual({ lost: 0, doubled: 0 });
  });

  it('counts records a report read but nothing accounted for as lost', () => {
    expect(
      lostAndDoubled(
        scenario({ files: [file({ folded: 97, unaccounted: 3 })], expectedClaims: 100, claimsReceivedDelta: 97 }),
      ),
    ).toEqual({ lost: 3, doubled: 0 });
  });

  it('counts a clean file that never got a report as lost whole', () => {
    expect(
      lostAndDoubled(
        scenario({ files: [file({ recordsRead: null, folded: 0 })], expectedClaims: 100, claimsReceivedDelta: 0 }),
      ),
    ).toEqual({ lost: 100, doubled: 0 });
  });

  it('counts claims the KPIs hold beyond the manifests as doubled, even when the files look accounted', () => {
    expect(lostAndDoubled(scenario({ claimsReceivedDelta: 127 }))).toEqual({ lost: 0, doubled: 2 });
  });

  it('counts records found duplicate of bytes replayed before as accounted, neither lost nor doubled', () => {
    const duplicate = file({
      name: 'answers.999',
      expectedClaims: 0,
      expectedRecords: null,
      recordsRead: 2,
      folded: 0,
      duplicates: 2,
    });
    expect(
      lostAndDoubled(scenario({ files: [file(), duplicate], expectedClaims: 100, claimsReceivedDelta: 100 })),
    ).toEqual({
      lost: 0,
      doubled: 0,
    });
  });

  it('counts a record both folded and dead-lettered as doubled', () => {
    expect(
      lostAndDoubled(scenario({ files: [file({ deadLettered: 1 })], expectedClaims: 100, claimsReceivedDelta: 100 })),
    ).toEqual({ lost: 0, doubled: 1 });
  });
});

describe('scenarioRow', () => {
  it('passes a scenario with nothing lost or doubled and every check holding, with its recovery p50 and max', () => {
    expect(scenarioRow(scenario())).toEqual({
      scenario: 'service-kills',
      faults: 3,
      faultsByKind: { 'service-kill': 2, 'broker-kill': 1 },
      records: 140,
      lost: 0,
      doubled: 0,
      deadLettered: 15,
      recoveryP50Seconds: 4,
      recoveryMaxSeconds: 8,
      verdict: 'PASS',
    });
  });

  it('fails a scenario whose replay moved a KPI, naming the check', () => {
    const failed = scenario({ checks: { ...CHECKS, replayChangedNothing: false } });
    expect(scenarioRow(failed).verdict).toBe('FAIL');
    expect(failureReasons(failed)).toEqual(['check failed: replayChangedNothing']);
  });

  it('fails a scenario that lost a record even when every check holds', () => {
    expect(scenarioRow(scenario({ claimsReceivedDelta: 124 })).verdict).toBe('FAIL');
  });

  it('fails a scenario with a problem', () => {
    expect(scenarioRow(scenario({ problems: ['metrics crash-looping'] })).verdict).toBe('FAIL');
  });

  it('leaves the recovery figures empty when no fault recovered', () => {
    const row = scenarioRow(scenario({ faults: [] }));
    expect([row.recoveryP50Seconds, row.recoveryMaxSeconds]).toEqual([null, null]);
  });
});

describe('renderTable and runPassed', () => {
  it('prints one row per scenario and a total row with the run verdict', () => {
    const rows = [
      scenarioRow(scenario()),
      scenarioRow(scenario({ name: 'broker-restarts', claimsReceivedDelta: 126 })),
    ];
    const table = renderTable(rows).split('\n');
    expect(table[0]).toMatch(
      /^\| scenario +\| faults \| records \| lost \| doubled \| dead-lettered \| recovery s p50\/max \| verdict \|$/,
    );
    expect(table).toHaveLength(6);
    expect(table[2]).toMatch(/^\| service-kills +\| +3 \| +140 \| +0 \| +0 \| +15 \| +4\.0 \/ 8\.0 \| +PASS \|$/);
    expect(table[3]).toContain('FAIL');
    expect(table[5]).toMatch(/^\| total +\| +6 \| +280 \| +0 \| +1 \| +30 \| +\| +FAIL \|$/);
    expect(runPassed(rows)).toBe(false);
  });

  it('fails a run that ran no scenario', () => {
    expect(runPassed([])).toBe(false);
    expect(runPassed([scenarioRow(scenario())])).toBe(true);
  });
});

describe('renderOutageMemory', () => {
  it('prints each long outage with every service memory before and at peak, and the records that waited in Kafka', () => {
    const outage = {
      fault: { kind: 'postgres-outage', gapMs: 0, downMs: 60_000 } as const,
      description: 'Postgres down for 60 s, memory sampled',
      injectedAtMs: 1_000,
      recoverySeconds: 4.2,
      duringFlow: true,
      memory: [
        { service: 'ingestor' as const, beforeMb: 112, peakMb: 118 },
        { service: 'metrics' as const, beforeMb: 140, peakMb: 151 },
      ],
      recordsArrivedDuringOutage: 12_480,
    };
    const stop = { ...outage, fault: { kind: 'postgres-stop', gapMs: 0, downMs: 3_000 } as const };
    delete (stop as { memory?: unknown }).memory;
    expect(renderOutageMemory([{ faults: [stop, outage] }])).toEqual([
      'Postgres down for 60 s, memory sampled: resident memory before → peak: ingestor 112 → 118 MB, metrics 140 → 151 MB; 12,480 records arrived and waited in Kafka',
    ]);
  });
});
