/** Typed domain errors with stable codes; one mapper turns them into HTTP responses. Messages never echo input. */

export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  readonly status = 400;
}

export class Unauthenticated extends DomainError {
  readonly status = 401;
  constructor() {
    super('UNAUTHENTICATED', 'A valid bearer token is required');
  }
}

export class Forbidden extends DomainError {
  readonly status = 403;
}

export class NotFound extends DomainError {
  readonly status = 404;
}

export class Conflict extends DomainError {
  readonly status = 409;
}

/** The request was valid but its result cannot be delivered (e.g. a quarantined model output). */
export class UnprocessableOutput extends DomainError {
  readonly status = 422;
}

export class PayloadTooLarge extends DomainError {
  readonly status = 413;
}

export class UnsupportedMediaType extends DomainError {
  readonly status = 415;
}

/** A dependency refused or failed and the request was stopped rather than continued unsafely. */
export class ServiceUnavailable extends DomainError {
  readonly status = 503;
}
