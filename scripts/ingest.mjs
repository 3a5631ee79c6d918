// `npm run ingest -- <file|folder>... [--layout NAME] [--rate N] [--speedup K] [--dry-run] [--json]`
//
// Feeds files to the stack `npm start` runs (found from .cache/stack.json, or
// --api/--ingestor URLs): by path when a file lies under the stack's ingest
// root, else by upload. Shows each file's progress, waits until every record
// is accounted for downstream, and prints the report (one JSON object per
// file on stdout with --json). Exit 0: every file accounted for; 1: a file
// was refused, failed or is not accounted for (one line on stderr says which
// and why); 2: the command line or the stack is at fault.
// The logic is typed and tested in libs/harness/src/front-door/ingest-command.ts.
import { runFrontDoorCommand } from './lib/front-door.mjs';

await runFrontDoorCommand('ingest', 'runIngestCommand');
