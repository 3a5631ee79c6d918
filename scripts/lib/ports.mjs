// Ports for servers that are restarted on the same port (a private broker or
// Postgres after a crash, a supervised service): chosen below the kernel's
// ephemeral range, because while such a server is down any outgoing
// connection on the machine (a Kafka or Postgres client) may take a port of
// that range as its source port, and the restart then finds it in use.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { randomInt } from 'node:crypto';

const DEFAULT_EPHEMERAL_RANGE = [32768, 60999];
const LOWEST_CANDIDATE = 10000;

/** The kernel's ephemeral port range (Linux), else the common default. */
export function ephemeralPortRange() {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low <= high) return [low, high];
  } catch {
    // Not Linux: the default range stands.
  }
  return DEFAULT_EPHEMERAL_RANGE;
}

/** Whether the port can be bound on the host now. */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A free port outside the ephemeral range (random, so parallel runs rarely meet), or null when none is found. */
export async function freeStablePort(host = '127.0.0.1') {
  const [low, high] = ephemeralPortRange();
  const [from, to] = low - 1 > LOWEST_CANDIDATE ? [LOWEST_CANDIDATE, low - 1] : [high + 1, 65535];
  if (from > to) return null;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = randomInt(from, to + 1);
    if (await isPortFree(port, host)) return port;
  }
  return null;
}
