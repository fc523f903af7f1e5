export { type WorldRetcode, worldRetcodes } from './errors.ts';
export { handlers, type ImplInfo } from './handlers.ts';
export { implName, implVersion, ReferenceServer, type ReferenceServerOptions } from './reference-server.ts';
export {
  type Action,
  type ActionInput,
  type ActionName,
  type ActionOutput,
  actionNames,
  actions,
  type FolderListing,
  type ForwardedBundle,
  type MessagesPage,
  type SandboxHost,
  type WorldOverview,
} from './sandbox/actions.ts';
export {
  type ActorActions,
  type ClientInput,
  type SandboxActions,
  SandboxClient,
  type SandboxClientOptions,
  SandboxHttpError,
  type SayContent,
  type StreamItem,
} from './sandbox/client.ts';
export type { IncomingOnlySegmentType } from './world/messages.ts';
export { demoSeed, emptySeed, parseSeed, readSeedFile, type WorldSeed } from './world/seed.ts';
export { type Outbox, type Role, type Scene, World, type WorldOptions } from './world/world.ts';
