import { KILL_KINDS, describeFault, faultCounts, planChaos, plannedKills } from './fault-schedule';

describe('planChaos', () => {
  it('draws the same scenarios, faults, targets and timings from the same seed and profile', () => {
    expect(planChaos(42, 'default')).toEqual(planChaos(42, 'default'));
    expect(planChaos(42, 'short')).toEqual(planChaos(42, 'short'));
  });

  it('draws a different schedule from a different seed', () => {
    expect(planChaos(42, 'default').scenarios[0]?.faults).not.toEqual(planChaos(43, 'default').scenarios[0]?.faults);
  });

  it('plans at least 200 service kills in the default profile, after fold commits and during rebalances among them', () => {
    const plan = planChaos(7, 'default');
    const all = plan.scenarios.flatMap((scenario) => scenario.faults);
    expect(plannedKills(plan)).toBeGreaterThanOrEqual(200);
    expect(faultCounts(all)['kill-after-fold-commit']).toBeGreaterThan(0);
    expect(faultCounts(all)['kill-during-rebalance']).toBeGreaterThan(0);
    expect(faultCounts(all)['broker-kill']).toBeGreaterThanOrEqual(3);
    expect(faultCounts(all)['postgres-stop']).toBeGreaterThanOrEqual(3);
  });

  it('injects every kind of fault in the short profile, a handful of each', () => {
    const counts = faultCounts(planChaos(7, 'short').scenarios.flatMap((scenario) => scenario.faults));
    for (const count of Object.values(counts)) {
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(6);
    }
  });

  it('kills each of the five services at least once in the service-kill scenario', () => {
    for (const seed of [1, 2, 3]) {
      const kills = planChaos(seed, 'short').scenarios.find((scenario) => scenario.name === 'service-kills')?.faults;
      const targets = new Set(kills?.flatMap((fault) => (fault.kind === 'service-kill' ? [fault.service] : [])));
      expect([...targets].sort()).toEqual(['api', 'enricher', 'ingestor', 'metrics', 'normalizer']);
    }
  });

  it('keeps every wait and outage within its bounds', () => {
    const faults = planChaos(11, 'default').scenarios.flatMap((scenario) => scenario.faults);
    for (const fault of faults) {
      expect(fault.gapMs).toBeGreaterThanOrEqual(0);
      expect(fault.gapMs).toBeLessThanOrEqual(3_000);
      if (fault.kind === 'broker-kill') expect(fault.downMs).toBeLessThanOrEqual(6_000);
      if (fault.kind === 'postgres-stop') expect(fault.downMs).toBeLessThanOrEqual(8_000);
      if (fault.kind === 'second-instance') expect(fault.runMs).toBeGreaterThanOrEqual(3_000);
    }
  });

  it('names the faulted service and the outage in a fault description', () => {
    expect(describeFault({ kind: 'service-kill', service: 'enricher', gapMs: 0 })).toBe('SIGKILL enricher');
    expect(describeFault({ kind: 'broker-kill', gapMs: 0, downMs: 2_500 })).toBe('SIGKILL the broker for 2.5 s');
    expect(KILL_KINDS).toContain('kill-during-rebalance');
  });
});
