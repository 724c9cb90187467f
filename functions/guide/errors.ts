// The guide layer's errors, caught by instanceof at the doors. DatasetInvalid lives beside its schema in dataset.ts.

export class GuideError extends Error {
  override readonly name: string = 'GuideError';
}

/** An unknown brand name: the caller's mistake, not a rendering failure. */
export class UnknownBrand extends GuideError {
  override readonly name = 'UnknownBrand';
  constructor(
    readonly brand: string,
    readonly known: string[],
  ) {
    super(`unknown brand "${brand}" (known: ${known.join(', ')})`);
  }
}

/** Graphviz could not lay out a figure. */
export class FigureFailed extends GuideError {
  override readonly name = 'FigureFailed';
}

/**
 * A guide could not be rendered: the renderer reported an error, or its thread died (out of memory) or could not
 * start. `retryable` when another attempt may succeed (no render thread was available); not when this dataset made
 * the renderer fail.
 */
export class RenderFailed extends GuideError {
  override readonly name = 'RenderFailed';
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}
