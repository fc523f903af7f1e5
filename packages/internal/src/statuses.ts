// HTTP statuses the toolkit gives that the protocol's wire contract does not cover. Those it covers
// (401, 404, 405, 413, 415) come from `httpAnswers` of @milky/types, generated from
// spec/src/wire.ts, so that a change there reaches every server; only what lies outside it is here.

/** The server is shutting down, or already holds as much as it serves at once: try again later. */
export const serviceUnavailable = 503;

/** The link that would reach a resource is not valid, or has expired. */
export const forbidden = 403;

/** Something failed inside the server; the reason is logged, not shown. */
export const internalServerError = 500;
