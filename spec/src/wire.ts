// The wire contract: what `POST /api/<name>` answers besides each API's own data: the envelope
// of its HTTP 200 answer, the retcodes of a failure and the other HTTP answers. Each retcode and
// answer is marked P (the protocol states it) or C (a choice of this toolkit, which the protocol
// leaves open); see the reference notes on communication.

/** The envelope, retcodes and HTTP answers every API shares. */
export interface Wire {
  /** The body of every HTTP 200 answer: one of two shapes, told apart by `status`. */
  envelope: ApiResponse;
  /** The non-zero retcodes of `status: "failed"`, by name; implementations define others for their own failures. */
  retcodes: Retcodes;
  /** The answers other than HTTP 200, by name. */
  answers: HttpAnswers;
}

/** The retcodes, by name. */
export interface Retcodes {
  /** The parameters cannot be parsed: bad JSON, not an object, a field missing, mistyped or out of range; the message names the field. */
  invalidInput: { code: -400; kind: 'P' };
  /** The bot is not logged in, or has gone offline. */
  notLoggedIn: { code: -403; kind: 'P' };
  /** The protocol side failed in a way it does not describe further. */
  internalError: { code: -500; kind: 'C' };
}

/** The HTTP answers other than 200, by name. */
export interface HttpAnswers {
  /** An access token is configured and the request lacks it, or it does not match. */
  Unauthorized: { status: 401; kind: 'P'; event: true };
  /** The server does not offer this API. */
  NotFound: { status: 404; kind: 'P' };
  /** APIs are called with POST only. */
  MethodNotAllowed: { status: 405; kind: 'C'; allow: 'POST' };
  /** The body is larger than the server accepts. */
  PayloadTooLarge: { status: 413; kind: 'C' };
  /** The body is not sent as `application/json`. */
  UnsupportedMediaType: { status: 415; kind: 'P' };
}

/**
 * What `POST /api/<name>` answers with HTTP 200: each property is a shape of the envelope, its name
 * the value of `status` that selects it.
 * @discriminator status
 */
export interface ApiResponse {
  /** The call succeeded. */
  ok: ApiSuccess;
  /** The call was understood but did not succeed. */
  failed: ApiFailure;
}

/** A successful call: `data` is always an object. */
export interface ApiSuccess {
  /** Tells the shapes apart. */
  status: 'ok';
  /** Always 0. */
  retcode: 0;
  /** The API's result; `{}` for an API that returns nothing. */
  data: object;
}

/**
 * A failed call: a non-zero `retcode` and a message for humans.
 * @subject a failure
 */
export interface ApiFailure {
  /** Tells the shapes apart. */
  status: 'failed';
  /**
   * Why it failed: one of the `Retcodes`, or one the implementation defines for its own failures.
   * @TJS-type integer
   * @nonZero
   */
  retcode: number;
  /** What went wrong, for humans. */
  message: string;
}
