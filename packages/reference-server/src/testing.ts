// `@milky/reference-server/testing`: a world for a bot's automated tests, with handles to play its
// people and groups and bounded expectations of what the bot does.

export {
  Group,
  Member,
  type Mentionable,
  type MessageMatch,
  Person,
  startTestWorld,
  TestWorld,
  type TestWorldOptions,
  type WaitOptions,
} from './testing/test-world.ts';
export { messageText } from './testing/transcript.ts';
