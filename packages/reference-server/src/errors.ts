// The failures of the simulated world, each with its own retcode. The protocol leaves the codes of
// failed operations to implementations; these are the reference server's, listed in its README.

import { MilkyApiError } from '@milky/types';

/** The retcodes the simulated world refuses operations with, beside the protocol's own. */
export const worldRetcodes = {
  /** The friend, group, member, message, file, folder, request… named does not exist (or is out of reach). */
  notFound: -404,
  /** The actor's role does not allow the operation (a member muting, an admin setting an admin…). */
  permissionDenied: -405,
  /** The operation does not fit the current state: a request already handled, the owner quitting, a muted sender. */
  invalidState: -409,
  /** A value is well-formed but unusable: an empty message, a limit out of range, data that is not an image. */
  invalidArgument: -422,
  /** A `file://` or `http(s)://` URI could not be read. */
  resourceUnavailable: -502,
} as const;

/** One of `worldRetcodes`. */
export type WorldRetcode = (typeof worldRetcodes)[keyof typeof worldRetcodes];

export function notFound(what: string): MilkyApiError {
  return new MilkyApiError(worldRetcodes.notFound, what);
}

export function permissionDenied(why: string): MilkyApiError {
  return new MilkyApiError(worldRetcodes.permissionDenied, why);
}

export function invalidState(why: string): MilkyApiError {
  return new MilkyApiError(worldRetcodes.invalidState, why);
}

export function invalidArgument(field: string, why: string): MilkyApiError {
  return new MilkyApiError(worldRetcodes.invalidArgument, `${field}: ${why}`);
}

export function resourceUnavailable(field: string, why: string): MilkyApiError {
  return new MilkyApiError(worldRetcodes.resourceUnavailable, `${field}: ${why}`);
}
