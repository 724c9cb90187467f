// The guide pipeline's public surface, one import for bundles (bench, workers): parse a dataset, render it.
export { type Dataset, DatasetInvalid, parseDataset } from './dataset.ts';
export { loadMethodCatalogue } from './methods.ts';
export { createRenderer, type GuideRenderer, RENDERER_VERSION, type RenderedGuide } from './render.ts';
export { templatesDir } from '../paths.ts';
export {
  allPatchesExcept,
  installedVersions as installedLibraryVersions,
  internalsStatus,
  PATCH_NAMES,
  type PatchName,
  selectPatches,
} from './internals/index.ts';
