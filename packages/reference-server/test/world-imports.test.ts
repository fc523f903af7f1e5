// The world's modules form layers: no module of `src/world` reaches itself through its imports
// (type-only imports count too: a cycle of types is a cycle of concerns).

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const worldDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'world');

/** The relative modules a source file imports or re-exports, static and dynamic, as paths from `dir`. */
function importsOf(source: string, dir: string): string[] {
  // Comments are dropped first, so that an import written in prose does not count.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.')) found.add(resolve(dir, specifier));
    }
  }
  return [...found];
}

/** Every cycle of a graph, each once, as the path that closes it (`a → b → a`). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = [...path.slice(path.indexOf(next)), next];
        const key = [...cycle.slice(0, -1)].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function worldGraph(): Map<string, string[]> {
  const files = readdirSync(worldDir).filter((name) => name.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const name of files) {
    const file = join(worldDir, name);
    graph.set(file, importsOf(readFileSync(file, 'utf8'), worldDir));
  }
  return graph;
}

describe('the world', () => {
  it('has no import cycles among its modules', () => {
    const graph = worldGraph();
    expect(graph.size).toBeGreaterThan(5);
    const named = cyclesOf(graph).map((cycle) => cycle.map((file) => basename(file)).join(' → '));
    expect(named, `import cycles in src/world:\n${named.join('\n')}`).toEqual([]);
  });

  it('sees the imports of its modules', () => {
    const graph = worldGraph();
    const store = join(worldDir, 'store.ts');
    expect(graph.get(join(worldDir, 'messages.ts'))).toContain(store);
    expect(graph.get(join(worldDir, 'world.ts'))).toContain(join(worldDir, 'messages.ts'));
  });
});

describe('the cycle finder', () => {
  it('names a cycle through type-only imports and re-exports, and not one in a comment', () => {
    const dir = '/w';
    const sources: Record<string, string> = {
      'a.ts': "import type { B } from './b.ts';\n// import { C } from './c.ts';\n",
      'b.ts': "export { C } from './c.ts';\n",
      'c.ts': "import {\n  type A,\n  other,\n} from './a.ts';\nimport { readFileSync } from 'node:fs';\n",
      'd.ts': "/* import { A } from './a.ts'; */\nconst later = () => import('./e.ts');\n",
      'e.ts': '',
    };
    const graph = new Map(Object.entries(sources).map(([name, source]) => [join(dir, name), importsOf(source, dir)]));
    expect(graph.get(join(dir, 'a.ts'))).toEqual([join(dir, 'b.ts')]);
    expect(graph.get(join(dir, 'd.ts'))).toEqual([join(dir, 'e.ts')]);
    const cycles = cyclesOf(graph).map((cycle) => cycle.map((file) => basename(file)).join(' → '));
    expect(cycles).toEqual(['a.ts → b.ts → c.ts → a.ts']);
  });

  it('finds each cycle once, however it is entered', () => {
    const graph = new Map([
      ['x', ['y']],
      ['y', ['x', 'z']],
      ['z', ['y']],
    ]);
    expect(cyclesOf(graph)).toEqual([
      ['x', 'y', 'x'],
      ['y', 'z', 'y'],
    ]);
  });
});
