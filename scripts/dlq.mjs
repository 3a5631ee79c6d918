// `npm run dlq -- list [--reason CODE] [--stage S] [--file SHA256|NAME] | replay --reason CODE [--dry-run] [--yes]`
//
// list: the running stack's dead letters by stage and reason, and the latest
// ones (reasons name fields, never values). replay: after the cause is fixed,
// re-publishes each matching dead letter's original message to the topic it
// came from (admin token; asks first unless --yes). A record that then folds
// moves from dead-lettered to folded in its file's accounting.
// The logic is typed and tested in libs/harness/src/front-door/dlq-command.ts.
import { runFrontDoorCommand } from './lib/front-door.mjs';

await runFrontDoorCommand('dlq', 'runDlqCommand');
