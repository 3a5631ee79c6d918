import { IngestFileRequestSchema, UploadQuerySchema, invalidFields } from './ingest-request';

describe('UploadQuerySchema', () => {
  it('reads numbers and flags from the query string', () => {
    expect(UploadQuerySchema.parse({ name: 'carrier.csv', ratePerSecond: '250', dryRun: '1' })).toEqual({
      name: 'carrier.csv',
      ratePerSecond: 250,
      dryRun: true,
    });
  });

  it('refuses an unknown parameter and names it, so a misspelt layout never means "detect it"', () => {
    const parsed = UploadQuerySchema.safeParse({ name: 'carrier.csv', layuot: 'desynpuf.carrier' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(invalidFields(parsed.error)).toEqual(['layuot']);
  });

  it('refuses a path, a hidden name, a rate below one and pacing both ways, naming each field', () => {
    for (const [query, field] of [
      [{ name: '../etc/passwd' }, 'name'],
      [{ name: '.env' }, 'name'],
      [{ name: 'a.csv', ratePerSecond: '0.5' }, 'ratePerSecond'],
      [{ name: 'a.csv', ratePerSecond: '10', speedup: '100' }, 'speedup'],
    ] as const) {
      const parsed = UploadQuerySchema.safeParse(query);
      expect(parsed.success).toBe(false);
      if (!parsed.success) expect(invalidFields(parsed.error)).toEqual([field]);
    }
  });
});

describe('IngestFileRequestSchema', () => {
  it('takes a file under INGEST_ROOT with the same settings an upload takes', () => {
    expect(IngestFileRequestSchema.parse({ file: 'w1/carrier.csv', speedup: 3600 })).toEqual({
      file: 'w1/carrier.csv',
      speedup: 3600,
    });
    expect(IngestFileRequestSchema.safeParse({ file: 'a.csv', ratePerSecond: 5, speedup: 2 }).success).toBe(false);
  });

  it('refuses an unknown field and names it, so a misspelt dryRun never publishes the file for real', () => {
    const parsed = IngestFileRequestSchema.safeParse({ file: 'w1/carrier.csv', dryrun: true });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(invalidFields(parsed.error)).toEqual(['dryrun']);
    expect(IngestFileRequestSchema.parse({ file: 'w1/carrier.csv', dryRun: true, layout: 'desynpuf.carrier' })).toEqual(
      { file: 'w1/carrier.csv', dryRun: true, layout: 'desynpuf.carrier' },
    );
  });
});
