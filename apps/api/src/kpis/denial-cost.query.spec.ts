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
    expect(parseDenialsQuery({ source: 'billing_export' })).toEqual({ source: 'billing_export', groupBy: 'payer' });
    expect(parseDenialsQuery({ source: 'carrier_lines', groupBy: 'provider_group' })).toEqual({
      source: 'carrier_lines',
      groupBy: 'provider_group',
    });
    expect(refusedFields(() => parseDenialsQuery({}))).toEqual(['source']);
  });

  it('refuses a dimension the denial counters are not kept by, and an unknown parameter, naming each', () => {
    expect(refusedFields(() => parseDenialsQuery({ source: 'remittance', groupBy: 'state' }))).toEqual(['groupBy']);
    expect(refusedFields(() => parseDenialsQuery({ source: 'remittance', asOf: '2024-01-01' }))).toEqual(['asOf']);
    expect(refusedFields(() => parseDenialsQuery({ source: ['remittance', 'carrier_lines'] }))).toEqual(['source']);
  });
});

describe('parseDenialRootCausesQuery', () => {
  it('reads 835 claims by category unless told otherwise, and lines or scenario or CARC when asked', () => {
    expect(parseDenialRootCausesQuery({})).toEqual({ source: 'remittance', groupBy: 'category' });
    expect(parseDenialRootCausesQuery({ source: 'remittance_lines', groupBy: 'carc' })).toEqual({
      source: 'remittance_lines',
      groupBy: 'carc',
    });
  });

  it('refuses a source without CARCs and a grouping it does not keep, naming each', () => {
    expect(refusedFields(() => parseDenialRootCausesQuery({ source: 'billing_export' }))).toEqual(['source']);
    expect(refusedFields(() => parseDenialRootCausesQuery({ groupBy: 'payer' }))).toEqual(['groupBy']);
  });
});

describe('parsePaymentsQuery and parseVolumeQuery', () => {
  it('take the dimensions each is kept by, with a default', () => {
    expect(parsePaymentsQuery({})).toEqual({ groupBy: 'payer' });
    expect(parsePaymentsQuery({ groupBy: 'month' })).toEqual({ groupBy: 'month' });
    expect(parseVolumeQuery({})).toEqual({ groupBy: 'claim_type' });
    expect(parseVolumeQuery({ groupBy: 'state' })).toEqual({ groupBy: 'state' });
    expect(refusedFields(() => parsePaymentsQuery({ groupBy: 'state' }))).toEqual(['groupBy']);
    expect(refusedFields(() => parseVolumeQuery({ groupBy: 'payer' }))).toEqual(['groupBy']);
  });
});

describe('parseTopQuery', () => {
  it('orders by paid, 10 rows, unless told otherwise', () => {
    expect(parseTopQuery({ kind: 'hcpcs' })).toEqual({ kind: 'hcpcs', by: 'paid', limit: 10 });
    expect(parseTopQuery({ kind: 'ndc', by: 'cost', limit: '25' })).toEqual({ kind: 'ndc', by: 'cost', limit: 25 });
  });

  it('refuses a missing or unknown kind, an unknown order and a limit out of 1..500', () => {
    expect(refusedFields(() => parseTopQuery({}))).toEqual(['kind']);
    expect(refusedFields(() => parseTopQuery({ kind: 'drg' }))).toEqual(['kind']);
    expect(refusedFields(() => parseTopQuery({ kind: 'hcpcs', by: 'allowed' }))).toEqual(['by']);
    expect(refusedFields(() => parseTopQuery({ kind: 'hcpcs', limit: '501' }))).toEqual(['limit']);
    expect(refusedFields(() => parseTopQuery({ kind: 'hcpcs', limit: '-1' }))).toEqual(['limit']);
  });
});
