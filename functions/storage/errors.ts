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

type KeyPart = 'compound id' | 'fingerprint' | 'key id' | 'job id';

/** A compound id, fingerprint, key id or job id that cannot be part of a storage key (it would escape its prefix). */
export class InvalidStorageKey extends StorageError {
  override readonly name = 'InvalidStorageKey';
  constructor(
    readonly part: KeyPart,
    readonly value: string,
  ) {
    super(`invalid ${part} for a storage key: ${JSON.stringify(value)}`);
  }
}

/**
 * `value` when `pattern` allows it in a key, else InvalidStorageKey. Ids come validated from the doors; checking
 * again where keys are made keeps a caller's slip from writing outside its prefix.
 */
export function keyPart(part: KeyPart, pattern: RegExp, value: string): string {
  if (!pattern.test(value)) throw new InvalidStorageKey(part, value);
  return value;
}
