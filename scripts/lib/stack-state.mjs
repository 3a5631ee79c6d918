// Where a running stack (`npm run demo`, later `npm start`) says it listens,
// so the CLIs (`npm run kpi`, `npm run ingest`) find it without flags. The
// file holds a bearer token, so it is written readable by its owner only.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './bootstrap.mjs';

export const STACK_STATE_FILE = join(repoRoot, '.cache', 'stack.json');

export function writeStackState(state) {
  mkdirSync(dirname(STACK_STATE_FILE), { recursive: true });
  writeFileSync(STACK_STATE_FILE, `${JSON.stringify({ ...state, pid: process.pid }, null, 2)}\n`, { mode: 0o600 });
}

export function removeStackState() {
  try {
    const state = JSON.parse(readFileSync(STACK_STATE_FILE, 'utf8'));
    if (state.pid !== process.pid) return; // another run owns it now
  } catch {
    return;
  }
  rmSync(STACK_STATE_FILE, { force: true });
}

/** The recorded stack, or null when none is recorded or its process is gone. */
export function readStackState() {
  let state;
  try {
    state = JSON.parse(readFileSync(STACK_STATE_FILE, 'utf8'));
  } catch {
    return null;
  }
  try {
    process.kill(state.pid, 0);
  } catch {
    return null;
  }
  return state;
}
