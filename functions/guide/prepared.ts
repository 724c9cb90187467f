// The renderer's build-time assets for a package that carries them: none here. scripts/build-lambda.mjs bundles the
// Lambda functions with this module replaced by the PreparedAssets of the templates it packages.
import type { PreparedAssets } from './render.ts';

export const prepared: PreparedAssets | undefined = undefined;
