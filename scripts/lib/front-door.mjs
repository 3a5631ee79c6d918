// What `npm run ingest` and `npm run dlq` share: the typed commands, built to
// dist/ (libs/harness/src/front-door), run with this process's terminal, the
// folder npm was invoked from and the running stack's record.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './bootstrap.mjs';
import { readStackState } from './stack-state.mjs';

export async function runFrontDoorCommand(name, commandExport) {
  const entry = join(repoRoot, 'dist', 'libs', 'harness', 'src', 'front-door', 'index.js');
  if (!existsSync(entry)) {
    process.stderr.write(
      `${name}: the pipeline is not built yet: run \`npm start\` (it builds) or \`npm run build\`\n`,
    );
    process.exit(2);
  }
  const commands = await import(pathToFileURL(entry).href);
  const interrupt = new AbortController();
  // The first Ctrl-C lets the command cancel what it started; a second one ends it at once.
  process.once('SIGINT', () => {
    interrupt.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  process.exitCode = await commands[commandExport]({
    argv: process.argv.slice(2),
    env: process.env,
    // npm runs scripts from the repository; INIT_CWD is the folder the command was typed in.
    cwd: process.env.INIT_CWD ?? process.cwd(),
    recordedStack: readStackState(),
    stdout: process.stdout,
    stderr: process.stderr,
    interrupt: interrupt.signal,
  });
}
