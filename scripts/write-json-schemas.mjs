// Writes the JSON Schema document of every topic's payload to
// libs/contracts/schemas/, for consumers outside TypeScript. A unit test
// fails when the committed documents drift from the zod schemas.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, run } from './lib/bootstrap.mjs';

run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', join('libs', 'contracts', 'tsconfig.lib.json')]);
const contracts = await import(pathToFileURL(join(repoRoot, '.cache', 'contracts-build', 'index.js')).href);
for (const topic of Object.values(contracts.CLAIM_TOPICS)) {
  const file = join(repoRoot, 'libs', 'contracts', 'schemas', `${topic}.schema.json`);
  writeFileSync(file, `${JSON.stringify(contracts.topicJsonSchema(topic), null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
}
