// Compiles every app and lib to dist/ with tsc (decorator metadata is what
// Nest's dependency injection reads, which is why this is tsc and not a
// bundler), then rewrites the @claims/* path aliases to relative requires.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);

rmSync(join(repoRoot, 'dist'), { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
