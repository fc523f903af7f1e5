// What a reconnection missed, read from the SSE ids of @milky/server (`<run>-<n>`, n counting the
// events of that run): the same run with a later number tells how many were not replayed; another
// run, or no id at all (WebSocket), cannot tell.

const idPattern = /^(.+)-(\d+)$/;

/**
 * Events missed between the last id before a reconnection and the first id after it: a count, or
 * `'unknown'` when the ids cannot tell.
 */
export function gapAfter(before: string, after: string | undefined): number | 'unknown' {
  if (after === undefined) return 'unknown';
  const a = idPattern.exec(before);
  const b = idPattern.exec(after);
  if (!a || !b || a[1] !== b[1]) return 'unknown';
  const missed = Number(b[2]) - Number(a[2]) - 1;
  return Math.max(missed, 0);
}
