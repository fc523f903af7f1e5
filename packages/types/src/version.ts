// `@milky/types/version`: the protocol's version alone. It imports nothing, so that a command can
// print it (in its `--help`, say) without loading TypeBox and building the schemas.

export { milkyVersion, specVersion } from './generated/version.ts';
