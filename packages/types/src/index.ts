export * from './api.ts';
export { applyDefaults } from './defaults.ts';
export * from './envelope.ts';
export * from './generated/registry.ts';
export { definitions } from './generated/schemas.ts';
export * from './generated/types.ts';
export type { Infer, MilkySchema } from './schema.ts';
export {
  applyCompatibility,
  type CompatibilityHandlers,
  segmentUnionName,
  type UnknownMember,
} from './validation/compatible.ts';
export { type ValidationMode, type Validator, validator } from './validation/compile.ts';
export { explain, type UnionMetadata, unionMetadata } from './validation/explain.ts';
export { MilkyValidationError, type ValidationIssue } from './validation/issues.ts';
