// Types of font-coverage.mjs for the tests that import it.
export function mappedCodePoints(files: string[]): Set<number>[];
export function drawableRanges(files: string[]): [number, number][];
export function manifestText(manifest: { drawable: [number, number][]; [key: string]: unknown }): string;
export function fontsDir(): string;
