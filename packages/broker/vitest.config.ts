import { mergeConfig } from 'vitest/config';
import { packageConfig } from '../../vitest.shared.ts';

export default mergeConfig(packageConfig({ typeTests: true, testTimeout: 60_000 }), { test: { globalSetup: ['test/global-setup.ts'] } });
