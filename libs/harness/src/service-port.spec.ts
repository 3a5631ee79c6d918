import { isFetchablePort } from './service-process';

describe('isFetchablePort', () => {
  it('refuses 10080, a port on the Fetch bad-port list that Node refuses to fetch', async () => {
    expect(isFetchablePort(10080)).toBe(false);
    // The reason, from Node's own fetch: it rejects before any connection is tried.
    await expect(fetch('http://127.0.0.1:10080/health')).rejects.toMatchObject({ cause: { message: 'bad port' } });
  });

  it('accepts the service ports around it', () => {
    expect(isFetchablePort(10079)).toBe(true);
    expect(isFetchablePort(10081)).toBe(true);
  });
});
