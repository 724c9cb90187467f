// Messages between the render pool and its worker threads.
import type { StructureReading } from '../chemistry/structure.ts';
import type { Dataset } from '../guide/dataset.ts';

export type WorkerReady = { ready: true; assetsDigest: string } | { ready: false; error: string };

export interface RenderRequest {
  id: number;
  dataset: Dataset;
}

export type RenderResponse =
  | { id: number; ok: true; pdf: Uint8Array; pages: number }
  | { id: number; ok: false; error: string; retryable?: boolean };

/** What the render thread's data carries (workerData). */
export interface RenderWorkerData {
  templatesDir: string;
  /** The thread keeps RDKit's answers in this folder; unused when it asks the pool (askForStructures). */
  structureCacheFolder?: string;
  /** The thread asks the pool's thread for structures (StructureQuestion) instead of starting RDKit itself. */
  askForStructures?: boolean;
  /** How long the thread waits for the pool's answer about a structure before the render fails (retryable). */
  structureTimeoutMs?: number;
}

/** A render thread asking for a compound's reading or drawing (see StructureSource). */
export type StructureQuestion =
  | { question: number; kind: 'read'; smiles: string }
  | { question: number; kind: 'draw'; smiles: string; options: string };

export type StructureAnswer =
  | { question: number; ok: true; reading: StructureReading }
  | { question: number; ok: true; svg: string }
  | { question: number; ok: false; error: string };
