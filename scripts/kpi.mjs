// `npm run kpi -- verify`: checks a running stack's KPIs against the truth.
//
//   npm run kpi -- verify [--api URL] [--token TOKEN] [--wait SECONDS] [--json]
//
// Asks the API for its verification: every streamed counter (claims and
// lines received; every measure of every denial, payment, volume and cost
// cell, named `family.measure [dimension=value]`) against its batch
// SQL over the claim state, every cell of the pended-queue day histogram
// against the same cells computed from claim_pend, and every ingested file's
// records read against the records folded, found duplicate and dead-lettered
// downstream. Exits 0
// when both agree, 1 on any difference (printed), 2 when the stack cannot be
// asked. --wait retries a difference for up to SECONDS, for records still in
// flight; a difference that outlasts it is reported.
import { parseArgs } from 'node:util';
import { readStackState } from './lib/stack-state.mjs';

const USAGE = `usage: npm run kpi -- verify [--api URL] [--token TOKEN] [--wait SECONDS] [--json]
  --api URL       the API gateway (default: the running stack recorded by npm start / npm run demo)
  --token TOKEN   a bearer token (default: CLAIMS_API_TOKEN, else the recorded stack's)
  --wait SECONDS  keep asking while records are in flight, up to SECONDS (default 0)
  --json          print the verification as JSON`;

function fail(code, message) {
  process.stderr.write(`kpi: ${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      api: { type: 'string' },
      token: { type: 'string' },
      wait: { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail(2, `${error.message}\n${USAGE}`);
}
const { values, positionals } = parsed;
if (values.help || positionals[0] !== 'verify' || positionals.length !== 1) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}
const waitSeconds = Number(values.wait);
if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
  fail(2, `--wait must be a number of seconds, not "${values.wait}"`);

const stack = readStackState();
const api = values.api ?? process.env.CLAIMS_API_URL ?? stack?.apiUrl;
const token = values.token ?? process.env.CLAIMS_API_TOKEN ?? stack?.apiToken;
if (!api) fail(2, 'no running stack found: start one with `npm start` or `npm run demo`, or pass --api URL');
if (!token) fail(2, 'no API token: pass --token or set CLAIMS_API_TOKEN');

async function verification() {
  let response;
  try {
    response = await fetch(new URL('/v1/kpis/verification', api), { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    fail(2, `the API at ${api} does not answer (${error.cause?.code ?? error.message})`);
  }
  if (response.status === 401 || response.status === 403)
    fail(2, `the API at ${api} refused the token (${response.status})`);
  if (!response.ok) fail(2, `the API at ${api} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

const deadline = Date.now() + waitSeconds * 1000;
let result = await verification();
while (!result.consistent && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  result = await verification();
}

if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const lines = [];
  lines.push(`counters: ${result.countersConsistent ? 'every streamed counter equals its batch SQL' : 'DIFFERENT'}`);
  for (const m of result.mismatches) {
    lines.push(`  ${m.kpi}${m.dimension ? ` [${m.dimension}]` : ''}: streamed ${m.streamed}, batch SQL ${m.batch}`);
  }
  // An API older than the pended-queue KPIs answers without the histogram fields.
  if (result.pendHistogramConsistent !== undefined) {
    lines.push(
      `pend histogram: ${
        result.pendHistogramConsistent
          ? 'every cell equals its batch SQL over claim_pend'
          : `DIFFERENT in ${result.pendHistogramDifferences} cell(s)`
      }`,
    );
    for (const m of result.pendHistogramMismatches) {
      const cleared = m.clearedOn === 'infinity' ? 'still open' : `cleared ${m.clearedOn}`;
      lines.push(
        `  ${m.dimension}${m.dimensionValue ? ` [${m.dimensionValue}]` : ''}, pended ${m.pendedOn}, ${cleared}: ` +
          `streamed ${m.streamed.claims} claims / ${m.streamed.amountCents} cents, ` +
          `batch SQL ${m.batch.claims} claims / ${m.batch.amountCents} cents`,
      );
    }
    const unlisted = result.pendHistogramDifferences - result.pendHistogramMismatches.length;
    if (unlisted > 0) lines.push(`  … and ${unlisted} more cell(s) (--json lists the first ones only)`);
  }
  // An API older than the day-keyed counters answers without their fields.
  if (result.dailyCountersConsistent !== undefined) {
    lines.push(
      `daily counters: ${
        result.dailyCountersConsistent ? 'summed over every day, each equals its live counter' : 'DIFFERENT'
      }`,
    );
    for (const m of result.dailyCounterMismatches) {
      lines.push(`  ${m.kpi}${m.dimension ? ` [${m.dimension}]` : ''}: live ${m.live}, summed by day ${m.daily}`);
    }
  }
  lines.push(
    `files: ${result.files.length} ingested, ${result.filesConsistent ? 'every record accounted for' : 'NOT all accounted for'}`,
  );
  for (const f of result.files) {
    const read = f.recordsRead ?? '?';
    lines.push(
      `  ${f.status.padEnd(22)} ${(f.source ?? f.fileId.slice(0, 12)).padEnd(50)} read ${read}, folded ${f.folded}, ` +
        `duplicate ${f.duplicates}, dead-lettered ${f.deadLettered}${f.unaccounted ? `, unaccounted ${f.unaccounted}` : ''}`,
    );
  }
  if (result.untracedDeadLetters > 0) lines.push(`dead letters naming no source record: ${result.untracedDeadLetters}`);
  lines.push(result.consistent ? 'verification: consistent' : 'verification: DIFFERENCES FOUND');
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exit(result.consistent ? 0 : 1);
