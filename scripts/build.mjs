// Compiles every app and lib to dist/ with tsc (decorator metadata is what
// Nest's dependency injection reads, which is why this is tsc and not a
// bundler), then rewrites the @claims/* path aliases to relative requires.
//
// The build goes to a fresh folder that replaces dist/ in one rename at the
// end: services already running from dist/ (a demo, another suite) never see
// a half-written or missing tree.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const dist = join(repoRoot, 'dist');
const next = join(repoRoot, `dist.next-${process.pid}`);
const previous = join(repoRoot, `dist.previous-${process.pid}`);
// Files tsc does not emit but an app reads at run time, beside its compiled code: the
// dashboard's page, script and style, which the api serves from dist/ as they are.
const STATIC_ASSETS = ['apps/api/src/dashboard/static'];

rmSync(next, { recursive: true, force: true });
try {
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', next], { cwd: repoRoot, stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', next], { cwd: repoRoot, stdio: 'inherit' });
  for (const folder of STATIC_ASSETS) cpSync(join(repoRoot, folder), join(next, folder), { recursive: true });
  if (existsSync(dist)) renameSync(dist, previous);
  renameSync(next, dist);
} finally {
  rmSync(next, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}
