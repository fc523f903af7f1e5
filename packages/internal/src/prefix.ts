// URL path prefixes (`/milky`), written one way everywhere: `''` or a leading slash and no trailing one.

/** Normalizes a prefix to `''` or `/a/b`; anything but a URL path is refused, naming what was given. */
export function normalizePrefix(prefix: string | undefined): string {
  if (!prefix || prefix === '/') return '';
  if (!/^\/?[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(prefix) || prefix.includes('//')) {
    throw new TypeError(`prefix must be a URL path such as /milky, got ${JSON.stringify(prefix)}`);
  }
  return `/${prefix.replace(/^\/+|\/+$/g, '')}`;
}
