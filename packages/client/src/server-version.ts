// What the client knows of the server's protocol version, from `get_impl_info`: the APIs it
// offers are those that appeared in that version or before (the protocol only ever adds APIs).

import { type ApiName, apis, type GetImplInfoOutput } from '@milky/types';

/** The server as its `get_impl_info` describes it, and the APIs its protocol version has. */
export interface ServerInfo {
  /** The protocol version the server speaks, such as `"1.2"`. */
  readonly milkyVersion: string;
  readonly implName: string;
  readonly implVersion: string;
  /** The APIs of the protocol (as this client knows it) that the server's version has. */
  readonly apis: readonly ApiName[];
  /** Whether the server's version has the API. */
  supports(api: ApiName): boolean;
}

/** `major.minor` of a version such as `1.3` or `1.3.0`; `undefined` when it is not one. */
function parse(version: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Whether version `a` is newer than `b` (by major and minor); `undefined` when either is not a version. */
export function isNewer(a: string, b: string): boolean | undefined {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  return x[0] !== y[0] ? x[0] > y[0] : x[1] > y[1];
}

/** What `get_impl_info` tells; `undefined` when its `milky_version` is not a version. */
export function serverInfo(impl: GetImplInfoOutput): ServerInfo | undefined {
  const version = impl.milky_version;
  if (!parse(version)) return undefined;
  const offered = new Set((Object.keys(apis) as ApiName[]).filter((name) => isNewer(apis[name].since, version) === false));
  return {
    milkyVersion: version,
    implName: impl.impl_name,
    implVersion: impl.impl_version,
    apis: [...offered],
    supports: (api) => offered.has(api),
  };
}
