// pnpm bench: how long `milky-sandbox --help` and `milky-reference-server --help` take beyond the
// runtime's own start-up (the built commands, as installed: their launchers in bin/, which print the help).

import { fileURLToPath } from 'node:url';
import { helpTimes } from '../../../bench/commands.ts';

await helpTimes([
  { name: 'milky-sandbox', script: fileURLToPath(new URL('../bin/milky-sandbox.js', import.meta.url)) },
  { name: 'milky-reference-server', script: fileURLToPath(new URL('../bin/milky-reference-server.js', import.meta.url)) },
]);
