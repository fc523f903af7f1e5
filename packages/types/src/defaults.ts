// Applies the protocol's defaults: a field left out, or sent as `null`, takes its default.
// For each schema a plan is built once (which fields have defaults, which nested values may hold
// some) and then run on values in place.

import { Kind, type TSchema } from '@sinclair/typebox';
import { type Definitions, deref, rootOf } from './definitions.ts';
import type { MilkySchema } from './schema.ts';
import { unionMetadata } from './validation/explain.ts';

type Fill = (value: unknown) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Planner {
  private readonly definitions: Definitions;
  /** Plans of named definitions; a cell breaks cycles (a forward segment holds segments). */
  private readonly named = new Map<string, { fill: Fill | undefined }>();

  constructor(definitions: Definitions) {
    this.definitions = definitions;
  }

  plan(schema: TSchema): Fill | undefined {
    switch (schema[Kind]) {
      case 'Ref':
        return this.planRef(schema.$ref as string);
      case 'Object':
        return this.planObject(schema);
      case 'Array': {
        const item = this.plan(schema.items as TSchema);
        if (!item) return undefined;
        return (value) => {
          if (Array.isArray(value)) for (const element of value) item(element);
        };
      }
      case 'Union':
        return this.planUnion(schema);
      default:
        return undefined;
    }
  }

  private planRef(name: string): Fill | undefined {
    const known = this.named.get(name);
    if (known) return (value) => known.fill?.(value);
    const cell: { fill: Fill | undefined } = { fill: undefined };
    this.named.set(name, cell);
    const target = this.definitions[name];
    if (!target) throw new Error(`unresolvable reference ${name}`);
    cell.fill = this.plan(target);
    return cell.fill && ((value) => cell.fill?.(value));
  }

  private planObject(schema: TSchema): Fill | undefined {
    const steps: Fill[] = [];
    for (const [key, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
      if (property.default !== undefined) {
        const fallback = property.default as unknown;
        const copy = typeof fallback === 'object' && fallback !== null ? () => structuredClone(fallback) : () => fallback;
        steps.push((value) => {
          const object = value as Record<string, unknown>;
          if (object[key] === undefined || object[key] === null) object[key] = copy();
        });
      }
      const nested = this.plan(property);
      if (nested) {
        steps.push((value) => {
          const field = (value as Record<string, unknown>)[key];
          if (field !== undefined && field !== null) nested(field);
        });
      }
    }
    if (steps.length === 0) return undefined;
    return (value) => {
      if (isObject(value)) for (const step of steps) step(value);
    };
  }

  private planUnion(schema: TSchema): Fill | undefined {
    const members = schema.anyOf as TSchema[];
    const metadata = unionMetadata(schema);
    if (!metadata) {
      // `T | null` and enums: at most one member holds defaults.
      const plans = members.map((member) => this.plan(member)).filter((plan): plan is Fill => plan !== undefined);
      if (plans.length === 0) return undefined;
      return (value) => {
        for (const plan of plans) plan(value);
      };
    }
    const byTag = new Map<unknown, Fill>();
    for (const member of members) {
      const variant = deref(member, this.definitions);
      const tag = (variant?.properties as Record<string, TSchema> | undefined)?.[metadata.discriminator]?.const;
      const plan = this.plan(member);
      if (plan) byTag.set(tag, plan);
    }
    if (byTag.size === 0) return undefined;
    return (value) => {
      if (isObject(value)) byTag.get(value[metadata.discriminator])?.(value);
    };
  }
}

const plans = new WeakMap<TSchema, { fill: Fill | undefined }>();

/**
 * Fills in the defaults of `value` in place (a field left out or `null` takes its default) and
 * returns it. The value should already be valid; parts that are not are left alone.
 */
export function applyDefaults<T>(schema: MilkySchema<T>, value: T): T {
  let plan = plans.get(schema);
  if (!plan) {
    const { root, definitions } = rootOf(schema);
    plan = { fill: new Planner(definitions).plan(root) };
    plans.set(schema, plan);
  }
  plan.fill?.(value);
  return value;
}
