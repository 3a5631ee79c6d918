// `npm run reference -- publish <file>... | synthesize <claim file>... [--seed N] [--out FILE] [--publish]`
//
// publish: directory files (NPPES npidata, CMS clinician CSV, NDJSON of
// reference events) onto the reference topics, where every enricher reads
// them and clears the pended claims a fix lets through. synthesize: a seeded
// provider, group and location directory for the identifiers of claim files.
// The logic is typed and tested in libs/harness/src/front-door/reference-command.ts.
import { runFrontDoorCommand } from './lib/front-door.mjs';

await runFrontDoorCommand('reference', 'runReferenceCommand');
