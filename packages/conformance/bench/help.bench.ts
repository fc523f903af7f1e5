// pnpm bench: how long `milky-conformance --help` takes beyond the runtime's own start-up (the
// built command, as installed).

import { fileURLToPath } from 'node:url';
import { helpTimes } from '../../../bench/commands.ts';

await helpTimes([{ name: 'milky-conformance', script: fileURLToPath(new URL('../dist/cli.js', import.meta.url)) }]);
