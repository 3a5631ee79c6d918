import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './test-environment';

export type BootstrapScript = 'kafka' | 'postgres';

/**
 * Runs scripts/<name>/<name>.mjs with `args` and resolves with its trimmed
 * stdout (the address it prints). Through the CLI rather than an import: the
 * scripts are ES modules, which jest's CommonJS runtime cannot load, and the
 * CLI is also what a person runs by hand, so both take one path.
 */
export function runBootstrapScript(name: BootstrapScript, args: readonly string[]): Promise<string> {
  const script = join(REPO_ROOT, 'scripts', name, `${name}.mjs`);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { cwd: REPO_ROOT }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(`node scripts/${name}/${name}.mjs ${args.join(' ')} failed: ${stderr.trim() || error.message}`),
        );
      } else {
        resolve(stdout.trim());
      }
    });
  });
}
