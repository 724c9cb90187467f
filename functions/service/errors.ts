// The pipeline's errors, caught by instanceof and mapped once at each door (HTTP problem, batch failure, exit code).

export class ServiceError extends Error {
  override readonly name: string = 'ServiceError';
}

/** No dataset is stored for the compound. */
export class CompoundNotFound extends ServiceError {
  override readonly name = 'CompoundNotFound';
  constructor(readonly compoundId: string) {
    super(`no dataset for compound "${compoundId}"`);
  }
}

/** A queue message that is neither an S3 notification nor a regeneration message: retrying will not help. */
export class MalformedMessage extends ServiceError {
  override readonly name = 'MalformedMessage';
}

/** The regeneration queue is not configured, unreachable, or kept refusing messages; doors answer 503. */
export class QueueUnavailable extends ServiceError {
  override readonly name = 'QueueUnavailable';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`regeneration queue unavailable: ${detail}`, options);
  }
}
