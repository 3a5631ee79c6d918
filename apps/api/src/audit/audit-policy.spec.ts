import { acceptedRequestId, auditTargetOf, claimIdDigest, isAudited, isExportMediaType } from './audit-policy';

describe('isAudited', () => {
  it('audits every state-changing request to a protected route', () => {
    expect(isAudited('POST', 'uploads:write')).toBe(true);
    expect(isAudited('POST', 'reference:write')).toBe(true);
    expect(isAudited('DELETE', 'api-keys:manage')).toBe(true);
  });

  it('audits reads of claim detail and lineage, the replay plan and the key list, and no other read', () => {
    expect(isAudited('GET', 'claims:read')).toBe(true);
    expect(isAudited('GET', 'dead-letters:replay')).toBe(true);
    expect(isAudited('GET', 'api-keys:manage')).toBe(true);
    expect(isAudited('GET', 'kpis:read')).toBe(false);
    expect(isAudited('GET', 'ingestions:read')).toBe(false);
  });

  it('audits a read answered as an export (CSV or PDF), whatever its permission', () => {
    expect(isAudited('GET', 'kpis:read', true)).toBe(true);
    expect(isAudited('GET', 'ingestions:read', true)).toBe(true);
  });

  it('never audits public routes (probes, metrics)', () => {
    expect(isAudited('GET', null)).toBe(false);
    expect(isAudited('GET', null, true)).toBe(false);
  });
});

describe('isExportMediaType', () => {
  it('takes CSV and PDF answers for exports, parameters and case aside', () => {
    expect(isExportMediaType('text/csv; charset=utf-8')).toBe(true);
    expect(isExportMediaType('Application/PDF')).toBe(true);
  });

  it('takes JSON, problem details, HTML and no header for no export', () => {
    for (const type of ['application/json; charset=utf-8', 'application/problem+json', 'text/html', undefined, 12]) {
      expect(isExportMediaType(type)).toBe(false);
    }
  });
});

describe('auditTargetOf', () => {
  it('keeps a claim id only as its SHA-256', () => {
    const target = auditTargetOf({ claimId: '887213386563288' }, undefined);
    expect(target).toEqual({ kind: 'claim', id: claimIdDigest('887213386563288') });
    expect(target?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(target)).not.toContain('887213386563288');
  });

  it('keeps key ids and reference kinds as they are, and the job an upload named', () => {
    expect(auditTargetOf({ keyId: '6f1c1f9e-8c43-4a52-9d0b-2f0c4b1a7e11' }, undefined)).toEqual({
      kind: 'api-key',
      id: '6f1c1f9e-8c43-4a52-9d0b-2f0c4b1a7e11',
    });
    expect(auditTargetOf({ kind: 'providers' }, undefined)).toEqual({ kind: 'reference-kind', id: 'providers' });
    expect(auditTargetOf({}, '6f1c1f9e-8c43-4a52-9d0b-2f0c4b1a7e11')).toMatchObject({ kind: 'ingest-job' });
  });

  it('keeps no free text a crafted path carries', () => {
    expect(auditTargetOf({ kind: 'x'.repeat(200) }, undefined)).toBeNull();
    expect(auditTargetOf({ kind: 'JOHN DOE' }, undefined)).toBeNull();
    expect(auditTargetOf({}, 'JOHN DOE')).toBeNull();
  });
});

describe('acceptedRequestId', () => {
  it('takes a plain token and refuses text that could carry anything else', () => {
    expect(acceptedRequestId('req-42.a:b')).toBe('req-42.a:b');
    expect(acceptedRequestId('has spaces')).toBeNull();
    expect(acceptedRequestId('x'.repeat(129))).toBeNull();
    expect(acceptedRequestId(undefined)).toBeNull();
  });
});
