// Writes an installable tarball of every public package into a folder, packed the way it will be
// published: `pnpm pack` replaces `workspace:^` with the version of the package it names.
//
//   node scripts/tarballs.ts [folder]     (default: ./tarballs; run after a build)

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');

export interface PublicPackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  /** Command name → file, from the manifest's `bin`. */
  readonly bin: Readonly<Record<string, string>>;
}

/** Every package under packages/ that is not private, in the order of their folders. */
export function publicPackages(): PublicPackage[] {
  const packages: PublicPackage[] = [];
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    const manifestPath = join(root, 'packages', entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      name: string;
      version: string;
      private?: boolean;
      bin?: Record<string, string>;
    };
    if (manifest.private) continue;
    packages.push({ name: manifest.name, version: manifest.version, dir: join(root, 'packages', entry.name), bin: manifest.bin ?? {} });
  }
  return packages;
}

/** Packs every public package into `folder`; returns the tarballs' paths, one per package. */
export function packTarballs(folder: string): { readonly pkg: PublicPackage; readonly tarball: string }[] {
  const destination = resolve(folder);
  mkdirSync(destination, { recursive: true });
  return publicPackages().map((pkg) => {
    if (!existsSync(join(pkg.dir, 'dist'))) throw new Error(`${pkg.name} has no dist/: build it first (pnpm turbo run build)`);
    const result = spawnSync('pnpm', ['pack', '--json', '--pack-destination', destination], { cwd: pkg.dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pnpm pack of ${pkg.name} failed:\n${result.stderr}${result.stdout}`);
    const { filename } = JSON.parse(result.stdout) as { filename: string };
    return { pkg, tarball: resolve(destination, filename) };
  });
}

if (import.meta.main) {
  const folder = process.argv[2] ?? join(root, 'tarballs');
  for (const { tarball } of packTarballs(folder)) console.log(tarball);
}
