// The package's commands as npm installs them (see scripts/command-tests.ts).

import { describeCommands } from '../../../scripts/command-tests.ts';

describeCommands(new URL('..', import.meta.url));
