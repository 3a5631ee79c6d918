import { parseBenchOptions } from '../cli-options';
import type { CorrectnessCheck } from '../measure/kpi-checks';
import type { EndToEndResult } from '../phases/end-to-end.phase';
import type { RawTransportResult } from '../phases/raw-transport.phase';
import {
  correctnessFailures,
  endToEndInpatientShareOfRawOneHop,
  targetChecks,
  transportFloorsOf,
  type BenchResults,
} from './results';

const CORRECT: CorrectnessCheck = {
  passed: true,
  verificationConsistent: true,
  verificationMismatches: 0,
  summaryMatchesGenerator: true,
  differences: [],
};

/** The fields of an end-to-end run the targets read; the rest of the result plays no part here. */
function endToEndRun(recordsPerSecond: number, correctness: CorrectnessCheck = CORRECT): EndToEndResult {
  return { recordsPerSecond, durationSeconds: 100, correctness } as unknown as EndToEndResult;
}

function oneHop(layout: string, oneHopRecordsPerSecond: number): RawTransportResult {
  return { client: 'kafkajs', layout, status: 'measured', oneHopRecordsPerSecond };
}

function resultsOf(fields: Partial<BenchResults>): BenchResults {
  return {
    schemaVersion: 1,
    runId: 'spec',
    startedAt: '',
    finishedAt: '',
    status: 'passed',
    mode: 'default',
    options: parseBenchOptions([]),
    environment: {} as BenchResults['environment'],
    generatedFiles: [],
    phaseSeconds: {},
    failures: [],
    ...fields,
  };
}

describe('the end-to-end throughput targets', () => {
  it("holds the inpatient run to the raw one hop of the inpatient file, not the carrier's", () => {
    const results = resultsOf({
      rawTransport: [oneHop('carrier', 30_000), oneHop('inpatient', 20_000)],
      endToEnd: endToEndRun(3_000),
      endToEndShareOfRawOneHop: 0.1,
      endToEndInpatient: endToEndRun(2_000),
    });
    expect(endToEndInpatientShareOfRawOneHop(results)).toBeCloseTo(0.1);
    const inpatient = targetChecks(results).filter((check) => check.target.endsWith(', inpatient'));
    expect(inpatient).toEqual([
      { target: 'end to end ≥ 33 % of raw one-hop, inpatient', measured: '10.0 %', met: false },
      { target: 'end to end ≥ 10,000 records/s, inpatient', measured: '2,000 records/s', met: false },
    ]);
  });

  it('says not measured, neither met nor missed, when the inpatient phase did not run', () => {
    const results = resultsOf({ rawTransport: [oneHop('inpatient', 20_000)], endToEnd: endToEndRun(12_000) });
    const inpatient = targetChecks(results).filter((check) => check.target.endsWith(', inpatient'));
    expect(inpatient.map((check) => [check.measured, check.met])).toEqual([
      ['not measured', null],
      ['not measured', null],
    ]);
    expect(targetChecks(results).find((check) => check.target === 'end to end ≥ 10,000 records/s')?.met).toBe(true);
  });

  it("names beside the records/s what the layout's transport floor allows on the run's cores", () => {
    const hop = (layout: string): RawTransportResult => ({
      ...oneHop(layout, 20_000),
      producerCpuSecondsPer1000: 0.03,
      consumerCpuSecondsPer1000: 0.02,
      brokerCpuSecondsPer1000: 0.05,
    });
    const carrier = { ...endToEndRun(3_000), cpuBudget: { cores: 2, totalCpuSecondsPer1000: 0.6 } } as EndToEndResult;
    const results = resultsOf({ rawTransport: [hop('carrier'), hop('inpatient')], endToEnd: carrier });
    results.transportFloors = transportFloorsOf(results, 4);
    // Carrier: its run's 2 cores ÷ 3 hops × 0.1 CPU-s per 1,000. Inpatient did not run end to end: this machine's 4.
    expect(results.transportFloors.map((floor) => [floor.layout, Math.round(floor.ceilingRecordsPerSecond)])).toEqual([
      ['carrier', 6_667],
      ['inpatient', 13_333],
    ]);
    expect(results.transportFloors[0]?.pipelineOverFloor).toBeCloseTo(2);
    expect(targetChecks(results).find((check) => check.target === 'end to end ≥ 10,000 records/s')).toEqual({
      target: 'end to end ≥ 10,000 records/s',
      measured: '3,000 records/s (the transport alone allows ≤ 6,667 here)',
      met: false,
    });
  });

  it('fails the run when the inpatient replay served KPIs that differ from the generator', () => {
    const wrong: CorrectnessCheck = {
      ...CORRECT,
      passed: false,
      summaryMatchesGenerator: false,
      differences: ['claims: served 9, expected 10'],
    };
    const failures = correctnessFailures(resultsOf({ endToEndInpatient: endToEndRun(2_000, wrong) }));
    expect(failures).toEqual([
      'end to end, inpatient: KPIs wrong (verification consistent; claims: served 9, expected 10)',
    ]);
  });
});
