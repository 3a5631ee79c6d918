import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeLatencies, type LatencySummary } from './service-metrics';

/** One route the load client calls, by the name it is reported under. */
export interface LoadTarget {
  route: string;
  url: string;
}

export interface HttpLoadOptions {
  targets: readonly LoadTarget[];
  headers: Record<string, string>;
  /** Requests started per second, on a fixed schedule (an open loop: a slow answer does not slow the offer). */
  ratePerSecond: number;
  /** The client's bound: at most this many requests in flight; a request due while it is reached is skipped and counted. */
  maxInFlight: number;
  /** The load stops once this answers true (checked before each request is started)... */
  until: () => boolean;
  /** ...or once this many requests have been started. */
  maxRequests?: number;
  /** A request not answered within this long counts as an error. */
  requestTimeoutMs?: number;
}

export interface RouteLoad extends LatencySummary {
  route: string;
  errors: number;
}

export interface HttpLoadResult {
  offeredPerSecond: number;
  achievedPerSecond: number;
  seconds: number;
  requests: number;
  /** Answers that were not 2xx, and requests that failed or timed out. */
  errors: number;
  /** Requests due while `maxInFlight` were still unanswered: the server fell behind the offer. */
  skipped: number;
  /** Latency of every answered request, errors included: a fast 500 is no success, and is counted above. */
  latency: LatencySummary;
  routes: RouteLoad[];
}

interface Answer {
  route: string;
  ms: number;
  ok: boolean;
}

/**
 * A bounded load client over loopback: starts requests round-robin over the
 * targets at a fixed rate until `until()`, never more than `maxInFlight` at
 * once, and reports latency percentiles and errors, in all and by route.
 */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  if (options.targets.length === 0) throw new Error('the load needs at least one target');
  const intervalMs = 1000 / options.ratePerSecond;
  const answers: Answer[] = [];
  const pending = new Set<Promise<void>>();
  let skipped = 0;
  let requests = 0;
  const done = (): boolean => options.until() || requests >= (options.maxRequests ?? Infinity);
  const started = performance.now();
  for (let index = 0; !done(); index += 1) {
    const dueAt = started + index * intervalMs;
    const wait = dueAt - performance.now();
    if (wait > 0) await sleep(wait);
    if (done()) break;
    if (pending.size >= options.maxInFlight) {
      skipped += 1;
      continue;
    }
    const target = options.targets[index % options.targets.length];
    if (!target) continue;
    requests += 1;
    const request = timedRequest(target, options.headers, options.requestTimeoutMs ?? 10_000).then((answer) => {
      answers.push(answer);
    });
    pending.add(request);
    void request.finally(() => pending.delete(request));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  return summarizeLoad(answers, { offeredPerSecond: options.ratePerSecond, seconds, skipped });
}

async function timedRequest(target: LoadTarget, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  const startedAt = performance.now();
  try {
    const response = await fetch(target.url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    // The whole body is read: a route is answered when its last byte is.
    await response.arrayBuffer();
    return { route: target.route, ms: performance.now() - startedAt, ok: response.ok };
  } catch {
    return { route: target.route, ms: performance.now() - startedAt, ok: false };
  }
}

/** The figures of a load run from its answers. */
export function summarizeLoad(
  answers: ReadonlyArray<Answer>,
  run: { offeredPerSecond: number; seconds: number; skipped: number },
): HttpLoadResult {
  const routes = [...new Set(answers.map((answer) => answer.route))].map((route) => {
    const ofRoute = answers.filter((answer) => answer.route === route);
    return {
      route,
      ...summarizeLatencies(ofRoute.map((answer) => answer.ms)),
      errors: ofRoute.filter((answer) => !answer.ok).length,
    };
  });
  return {
    offeredPerSecond: run.offeredPerSecond,
    achievedPerSecond: run.seconds > 0 ? answers.length / run.seconds : 0,
    seconds: run.seconds,
    requests: answers.length,
    errors: answers.filter((answer) => !answer.ok).length,
    skipped: run.skipped,
    latency: summarizeLatencies(answers.map((answer) => answer.ms)),
    routes,
  };
}
