export { type WorldRetcode, worldRetcodes } from './errors.ts';
export { handlers, type ImplInfo } from './handlers.ts';
export { implName, implVersion, ReferenceServer, type ReferenceServerOptions } from './reference-server.ts';
export { type ActionInput, type ActionName, type ActionOutput, actionSchemas, type WorldOverview } from './sandbox/actions.ts';
export { SandboxClient, type SandboxClientOptions, type SayContent, type StreamItem, type Where } from './sandbox/client.ts';
export { demoSeed, emptySeed, parseSeed, readSeedFile, type WorldSeed } from './world/seed.ts';
export { type Outbox, type Role, type Scene, World, type WorldOptions } from './world/world.ts';
