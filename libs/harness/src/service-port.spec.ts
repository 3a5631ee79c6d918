import { createServer, type AddressInfo } from 'node:net';
import { claimServicePort, freePort, freeServicePort, isFetchablePort } from './service-process';

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

describe('freeServicePort', () => {
  it('never hands out the same port twice, though nothing listens on them yet', async () => {
    // 400 draws from about 22,000 ports would repeat one more often than not if draws were independent.
    const ports: number[] = [];
    for (let draw = 0; draw < 400; draw += 1) ports.push(await freeServicePort());

    expect(new Set(ports).size).toBe(ports.length);
  });

  it('gives a port asked for by number only when nothing listens on it', async () => {
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const taken = (listener.address() as AddressInfo).port;
    const free = await freePort();

    expect(await claimServicePort(taken)).toBe(false);
    expect(await claimServicePort(free)).toBe(true);
    await new Promise((resolve) => listener.close(resolve));
  });
});
