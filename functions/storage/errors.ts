// The storage layer's errors, caught by instanceof at each door (http/app.ts, the worker, the CLI).

export class StorageError extends Error {
  override readonly name: string = 'StorageError';
}

/** Storage could not be reached or kept failing after the SDK's retries; doors answer 503 (or retry). */
export class StorageUnavailable extends StorageError {
  override readonly name = 'StorageUnavailable';
  constructor(
    readonly operation: string,
    readonly key: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`storage unavailable: ${operation}${key === undefined ? '' : ` ${key}`}: ${detail}`, options);
  }
}

/** A compound id, fingerprint or key id that cannot be part of a storage key (it would escape its prefix). */
export class InvalidStorageKey extends StorageError {
  override readonly name = 'InvalidStorageKey';
  constructor(
    readonly part: 'compound id' | 'fingerprint' | 'key id' | 'job id',
    readonly value: string,
  ) {
    super(`invalid ${part} for a storage key: ${JSON.stringify(value)}`);
  }
}
