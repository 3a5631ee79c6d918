import { BadRequestException } from '@nestjs/common';
import {
  parseDenialRootCausesQuery,
  parseDenialsQuery,
  parsePaymentsQuery,
  parseTopQuery,
  parseVolumeQuery,
} from './denial-cost.query';

const refusedFields = (parse: () => unknown): string[] => {
  try {
    parse();
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { fields: string[] }).fields;
    throw error;
  }
  throw new Error('expected a 400');
};

describe('parseDenialsQuery', () => {
  it('requires a source rule and groups by payer unless told otherwise', () => {
    expect(parseDenialsQuery({ source: 'billing_export' })).toEqual({
      source: 'billing_export',
      groupBy: 'payer',
      filter: {},
      asOf: null,
    });
    expect(parseDenialsQuery({ source: 'carrier_lines', groupBy: 'provider_group' })).toEqual({
      source: 'carrier_lines',
      groupBy: 'provider_group',
      filter: {},
      asOf: null,
    });
    expect(refusedFields(() => parseDenialsQuery({}))).toEqual(['source']);
  });

  it('refuses a dimension the denial counters are not kept by, and an unknown parameter, naming each', () => {
    expect(refusedFields(() => parseDenialsQuery({ source: 'remittance', groupBy: 'state' }))).toEqual(['groupBy']);
    expect(refusedFields(() => parseDenialsQuery({ source: 'remittance', asOf: '2024-13-01' }))).toEqual(['asOf']);
    expect(refusedFields(() => parseDenialsQuery({ source: ['remittance', 'carrier_lines'] }))).toEqual(['source']);
  });
});

describe('parseDenialRootCausesQuery', () => {
  it('reads 835 claims by category unless told otherwise, and lines or scenario or CARC when asked', () => {
    expect(parseDenialRootCausesQuery({})).toEqual({
      source: 'remittance',
      groupBy: 'category',
      filter: {},
      asOf: null,
    });
    expect(parseDenialRootCausesQuery({ source: 'remittance_lines', groupBy: 'carc' })).toEqual({
      source: 'remittance_lines',
      groupBy: 'carc',
      filter: {},
      asOf: null,
    });
  });

  it('refuses a source without CARCs and a grouping it does not keep, naming each', () => {
    expect(refusedFields(() => parseDenialRootCausesQuery({ source: 'billing_export' }))).toEqual(['source']);
    expect(refusedFields(() => parseDenialRootCausesQuery({ groupBy: 'payer' }))).toEqual(['groupBy']);
  });
});

describe('parsePaymentsQuery and parseVolumeQuery', () => {
  it('take the dimensions each is kept by, with a default', () => {
    expect(parsePaymentsQuery({})).toEqual({ groupBy: 'payer', filter: {}, asOf: null });
    expect(parsePaymentsQuery({ groupBy: 'month' })).toEqual({ groupBy: 'month', filter: {}, asOf: null });
    expect(parseVolumeQuery({})).toEqual({ groupBy: 'claim_type', filter: {}, asOf: null });
    expect(parseVolumeQuery({ groupBy: 'state' })).toEqual({ groupBy: 'state', filter: {}, asOf: null });
    expect(refusedFields(() => parsePaymentsQuery({ groupBy: 'state' }))).toEqual(['groupBy']);
    expect(refusedFields(() => parseVolumeQuery({ groupBy: 'payer' }))).toEqual(['groupBy']);
  });
});

describe('parseTopQuery', () => {
  it('orders by paid, 10 rows, unless told otherwise', () => {
    expect(parseTopQuery({ kind: 'hcpcs' })).toEqual({ kind: 'hcpcs', by: 'paid', limit: 10, filter: {} });
    expect(parseTopQuery({ kind: 'ndc', by: 'cost', limit: '25' })).toEqual({
      kind: 'ndc',
      by: 'cost',
      limit: 25,
      filter: {},
    });
  });

  it('refuses a missing or unknown kind, an unknown order and a limit out of 1..500', () => {
    expect(refusedFields(() => parseTopQuery({}))).toEqual(['kind']);
    expect(refusedFields(() => parseTopQuery({ kind: 'drg' }))).toEqual(['kind']);
    expect(refusedFields(() => parseTopQuery({ kind: 'hcpcs', by: 'allowed' }))).toEqual(['by']);
    expect(refusedFields(() => parseTopQuery({ kind: 'hcpcs', limit: '501' }))).toEqual(['limit']);
    expect(refusedFields(() => parseTopQuery({ kind: 'hcpcs', limit: '-1' }))).toEqual(['limit']);
  });
});

describe('the claim filters of the denial, payment, volume and top routes', () => {
  it('keeps the filters given, and only those', () => {
    expect(
      parsePaymentsQuery({
        groupBy: 'month',
        payer: 'Aetna',
        state: 'MD',
        serviceFrom: '2024-01-01',
        serviceTo: '2024-01-31',
      }),
    ).toEqual({
      groupBy: 'month',
      filter: { payer: 'Aetna', state: 'MD', serviceFrom: '2024-01-01', serviceTo: '2024-01-31' },
      asOf: null,
    });
    expect(parseVolumeQuery({ providerGroup: 'GRP-1', renderingProvider: '1234567893', claimType: 'dme' })).toEqual({
      groupBy: 'claim_type',
      filter: { providerGroup: 'GRP-1', renderingProvider: '1234567893', claimType: 'dme' },
      asOf: null,
    });
    expect(parseTopQuery({ kind: 'hcpcs', payer: 'MEDICARE' }).filter).toEqual({ payer: 'MEDICARE' });
    expect(parseDenialRootCausesQuery({ serviceTo: '2024-05-01' }).filter).toEqual({ serviceTo: '2024-05-01' });
  });

  it('refuses the pended queue’s own filters, empty, repeated and over-long values, bad dates and a reversed range', () => {
    expect(refusedFields(() => parsePaymentsQuery({ reason: 'N01' }))).toEqual(['reason']);
    expect(refusedFields(() => parseVolumeQuery({ queue: 'coding' }))).toEqual(['queue']);
    expect(refusedFields(() => parsePaymentsQuery({ payer: '' }))).toEqual(['payer']);
    expect(refusedFields(() => parsePaymentsQuery({ payer: ['A', 'B'] }))).toEqual(['payer']);
    expect(refusedFields(() => parseTopQuery({ kind: 'ndc', state: 'x'.repeat(129) }))).toEqual(['state']);
    expect(refusedFields(() => parseDenialsQuery({ source: 'remittance', serviceFrom: '2024-02-30' }))).toEqual([
      'serviceFrom',
    ]);
    expect(refusedFields(() => parseVolumeQuery({ serviceFrom: '2024-03-05', serviceTo: '2024-03-04' }))).toEqual([
      'serviceTo',
    ]);
  });
});

describe('asOf on the denial, payment and volume routes', () => {
  it('reads the counters at the end of the day given, and live without one', () => {
    expect(parseVolumeQuery({ asOf: '2009-06-30' })).toEqual({ groupBy: 'claim_type', filter: {}, asOf: '2009-06-30' });
    expect(parseDenialsQuery({ source: 'remittance', asOf: '2024-01-31' }).asOf).toBe('2024-01-31');
    expect(parseDenialRootCausesQuery({ asOf: '2024-01-31' }).asOf).toBe('2024-01-31');
  });

  it('refuses asOf beside a claim filter, naming both: a filter is computed from the claims as they are now', () => {
    expect(refusedFields(() => parsePaymentsQuery({ asOf: '2024-01-31', payer: 'Aetna' }))).toEqual(['asOf', 'payer']);
    expect(
      refusedFields(() => parseDenialsQuery({ source: 'remittance', asOf: '2024-01-31', serviceFrom: '2024-01-01' })),
    ).toEqual(['asOf', 'serviceFrom']);
    expect(refusedFields(() => parseVolumeQuery({ asOf: '2024-02-30' }))).toEqual(['asOf']);
  });

  it('refuses asOf grouped by provider group, which the day-keyed counters leave out, naming asOf and groupBy', () => {
    expect(refusedFields(() => parsePaymentsQuery({ asOf: '2024-01-31', groupBy: 'provider_group' }))).toEqual([
      'asOf',
      'groupBy',
    ]);
    expect(
      refusedFields(() =>
        parseDenialsQuery({ source: 'carrier_lines', groupBy: 'provider_group', asOf: '2009-01-31' }),
      ),
    ).toEqual(['asOf', 'groupBy']);
    expect(parseDenialsQuery({ source: 'carrier_lines', groupBy: 'month', asOf: '2009-01-31' }).asOf).toBe(
      '2009-01-31',
    );
  });

  it('refuses asOf on the top lists, whose codes are not kept by day', () => {
    expect(refusedFields(() => parseTopQuery({ kind: 'ndc', asOf: '2010-12-31' }))).toEqual(['asOf']);
  });
});
