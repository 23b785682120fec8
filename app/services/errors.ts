/**
 * What a service says when it cannot do what was asked, in its own terms. Routes answer them over
 * HTTP through one adapter (`app/http/domain-errors.server.ts`); services never build a Response.
 */
export class NotFound extends Error {
  readonly status = 404;
  constructor(what = "not found") {
    super(what);
    this.name = "NotFound";
  }
}

/** A request no form of ours sends: a tampered cell, an unknown skill. */
export class BadRequest extends Error {
  readonly status = 400;
  constructor(what = "bad request") {
    super(what);
    this.name = "BadRequest";
  }
}

/** Someone else changed the record first. */
export class Conflict extends Error {
  readonly status = 409;
  constructor(what = "conflict") {
    super(what);
    this.name = "Conflict";
  }
}

export type DomainError = NotFound | BadRequest | Conflict;

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof NotFound || e instanceof BadRequest || e instanceof Conflict;
}
