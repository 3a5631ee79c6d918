// `npm run token -- issue --role ROLE [--ttl 8h] [--sub NAME] | demo-users`
//
// Prints a signed bearer token (HS256, with an expiry) the API accepts: the
// secret is API_TOKEN_SECRET, else the one the running stack (`npm start`)
// recorded. The logic is typed and tested in libs/harness/src/front-door/token-command.ts.
import { runFrontDoorCommand } from './lib/front-door.mjs';

await runFrontDoorCommand('token', 'runTokenCommand');
