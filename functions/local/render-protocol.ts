// Messages between the render pool and its worker threads.
import type { Dataset } from '../guide/dataset.ts';

export type WorkerReady = { ready: true; assetsDigest: string } | { ready: false; error: string };

export interface RenderRequest {
  id: number;
  dataset: Dataset;
}

export type RenderResponse =
  | { id: number; ok: true; pdf: Uint8Array; pages: number }
  | { id: number; ok: false; error: string };
