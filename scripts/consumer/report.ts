// What the consumer test found: each check passed or failed, printed as it is decided.

/** Every failure so far; the test exits 1 when there is one. */
export const failures: string[] = [];

export function fail(message: string): void {
  failures.push(message);
  console.log(`  FAIL  ${message}`);
}

export function pass(message: string): void {
  console.log(`  pass  ${message}`);
}
