// pnpm bench: how long `milky-conformance --help` takes beyond the runtime's own start-up (the
// built command, as installed: its launcher in bin/, which prints the help).

import { fileURLToPath } from 'node:url';
import { helpTimes } from '../../../bench/commands.ts';

await helpTimes([{ name: 'milky-conformance', script: fileURLToPath(new URL('../bin/milky-conformance.js', import.meta.url)) }]);
