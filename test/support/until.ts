// Polls until a probe returns a value, for tests that wait on another process; the message says what never came.
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: { ms?: number; every?: number; context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.ms ?? 30_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${options.context?.() ?? ''}`);
    await new Promise((r) => setTimeout(r, options.every ?? 100));
  }
}
