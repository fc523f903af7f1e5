// Named scalars. A field typed with one of these gets its bounds.
// `number & {}` (rather than a bare `number`) keeps the alias visible to the schema
// compiler when the scalar appears in a union such as `Int64 | null`.

/**
 * A QQ account number or group number.
 * @TJS-type integer
 * @minimum 10001
 * @maximum 4294967295
 */
export type Uin = number & {};

/**
 * A non-negative integer, at most 2^53-1 so that it survives a round trip through a JavaScript number.
 * Sequence numbers, sizes, counts, durations and Unix timestamps use it.
 * @TJS-type integer
 * @minimum 0
 * @maximum 9007199254740991
 */
export type Int64 = number & {};
