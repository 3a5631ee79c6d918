import { ClaimEventSchema } from '@claims/contracts';
import { claimEvent, claimLine } from './__tests__/claim-events';
import { collectDirectoryIdentifiers, DirectoryIdentifierCollector } from './directory-identifiers';

describe('collectDirectoryIdentifiers', () => {
  it('builds claim events the contract accepts (test helper check)', () => {
    expect(ClaimEventSchema.safeParse(claimEvent({ lines: [claimLine()] })).success).toBe(true);
  });

  it('collects rendering, billing, attending, operating and facility NPIs with their roles', () => {
    const identifiers = collectDirectoryIdentifiers([
      claimEvent({
        billingNpi: '1000000001',
        attendingNpi: '1000000002',
        operatingNpi: '1000000003',
        facilityNpi: '1000000004',
        lines: [claimLine({ renderingNpi: '1000000005' }), claimLine({ renderingNpi: '1000000002' })],
      }),
    ]);
    expect([...identifiers.npis.keys()].sort()).toEqual([
      '1000000001',
      '1000000002',
      '1000000003',
      '1000000004',
      '1000000005',
    ]);
    expect([...(identifiers.npis.get('1000000002')?.roles ?? [])].sort()).toEqual(['attending', 'rendering']);
    expect([...(identifiers.npis.get('1000000004')?.roles ?? [])]).toEqual(['facility']);
  });

  it('keeps the earliest service date an identifier was seen on, a line date before the claim date', () => {
    const identifiers = collectDirectoryIdentifiers([
      claimEvent({ serviceFromDate: '2009-05-01', lines: [claimLine({ renderingNpi: '1000000005', taxId: 'T1' })] }),
      claimEvent({
        serviceFromDate: '2009-03-01',
        lines: [claimLine({ renderingNpi: '1000000005', taxId: 'T1', serviceDate: '2009-03-04' })],
      }),
      claimEvent({ serviceFromDate: '2009-04-01', facilityCcn: '140001', attendingNpi: '1000000005' }),
    ]);
    expect(identifiers.npis.get('1000000005')?.firstSeen).toBe('2009-03-04');
    expect(identifiers.taxIds.get('T1')?.firstSeen).toBe('2009-03-04');
    expect(identifiers.ccns.get('140001')?.firstSeen).toBe('2009-04-01');
  });

  it('puts a rendering NPI in the group of the tax id on its line, and the tax id knows its NPIs', () => {
    const identifiers = collectDirectoryIdentifiers([
      claimEvent({
        lines: [
          claimLine({ renderingNpi: '1000000005', taxId: '032349648' }),
          claimLine({ renderingNpi: '1000000006', taxId: '032349648' }),
        ],
      }),
    ]);
    expect(identifiers.npis.get('1000000005')?.taxId).toBe('032349648');
    expect([...(identifiers.taxIds.get('032349648')?.npis ?? [])]).toEqual(['1000000005', '1000000006']);
  });

  it('chooses the group of the earliest line, whatever order the claims arrive in', () => {
    const late = claimEvent({
      serviceFromDate: '2009-06-01',
      lines: [claimLine({ renderingNpi: '1000000005', taxId: 'LATE' })],
    });
    const early = claimEvent({
      serviceFromDate: '2009-01-01',
      lines: [claimLine({ renderingNpi: '1000000005', taxId: 'EARLY' })],
    });
    expect(collectDirectoryIdentifiers([late, early]).npis.get('1000000005')?.taxId).toBe('EARLY');
    expect(collectDirectoryIdentifiers([early, late]).npis.get('1000000005')?.taxId).toBe('EARLY');
  });

  it("takes a state hint from the claim's service location, and ignores one that is no USPS state", () => {
    const identifiers = collectDirectoryIdentifiers([
      claimEvent({
        serviceLocation: { address1: null, city: null, state: 'oh', zip: null },
        facilityCcn: '360001',
        lines: [claimLine({ renderingNpi: '1000000005', taxId: 'T1' })],
      }),
      claimEvent({
        serviceLocation: { address1: null, city: null, state: 'Ohio', zip: null },
        lines: [claimLine({ renderingNpi: '1000000006' })],
      }),
    ]);
    expect(identifiers.npis.get('1000000005')?.stateHint).toBe('OH');
    expect(identifiers.taxIds.get('T1')?.stateHint).toBe('OH');
    expect(identifiers.ccns.get('360001')?.stateHint).toBe('OH');
    expect(identifiers.npis.get('1000000006')?.stateHint).toBeNull();
  });

  it("records the facility CCN of a provider's claim, for a provider without a group", () => {
    const identifiers = collectDirectoryIdentifiers([
      claimEvent({ facilityCcn: '140001', attendingNpi: '1000000002' }),
    ]);
    expect(identifiers.npis.get('1000000002')).toMatchObject({ ccn: '140001', taxId: null });
  });

  it('ignores NPIs that are not ten digits and blank identifiers, counting only the former', () => {
    const identifiers = collectDirectoryIdentifiers([
      claimEvent({ billingNpi: '12345', attendingNpi: '  ', lines: [claimLine({ renderingNpi: '', taxId: ' ' })] }),
    ]);
    expect(identifiers.npis.size).toBe(0);
    expect(identifiers.taxIds.size).toBe(0);
    expect(identifiers.ignored).toBe(1);
  });

  it('can be fed one event at a time, as an asynchronous file reader would', () => {
    const collector = new DirectoryIdentifierCollector();
    collector.add(claimEvent({ billingNpi: '1000000001' }));
    collector.add(claimEvent({ billingNpi: '1000000002' }));
    expect([...collector.identifiers().npis.keys()]).toEqual(['1000000001', '1000000002']);
  });
});
