import { packageConfig } from '../vitest.shared.ts';

export default packageConfig({ testTimeout: 30_000 });
