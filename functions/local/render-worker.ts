// Entry point of one render thread (bundled to dist/render-worker.js): one renderer, many renders.
import { parentPort, workerData } from 'node:worker_threads';
import { type StructureReading, useStructureSource } from '../chemistry/structure.ts';
import { useStructureCacheFolder } from '../chemistry/structure-cache-files.ts';
import { createRenderer } from '../guide/render.ts';
import type {
  RenderRequest,
  RenderResponse,
  RenderWorkerData,
  StructureAnswer,
  StructureQuestion,
  WorkerReady,
} from './render-protocol.ts';

const port = parentPort!;
const data = workerData as RenderWorkerData;

// Questions to the pool's thread about structures, by number, until answered or given up on: a render never waits
// forever on a source that does not answer (the pool's thread busy or stuck), it fails and may be retried.
const pending = new Map<number, { resolve: (answer: StructureAnswer) => void }>();
let nextQuestion = 0;
const STRUCTURE_TIMEOUT_MS = 60_000;

/** The pool's thread gave no answer in time: the render fails as retryable (503 with Retry-After). */
class StructureUnanswered extends Error {}

function ask(
  question: { kind: 'read'; smiles: string } | { kind: 'draw'; smiles: string; options: string },
): Promise<StructureAnswer> {
  const number = nextQuestion++;
  const timeoutMs = data.structureTimeoutMs ?? STRUCTURE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(number);
      reject(
        new StructureUnanswered(
          `no answer about the structure (${question.kind} ${question.smiles}) within ${timeoutMs / 1000} s`,
        ),
      );
    }, timeoutMs);
    pending.set(number, {
      resolve: (answer) => {
        clearTimeout(timer);
        resolve(answer);
      },
    });
    port.postMessage({ ...question, question: number } satisfies StructureQuestion);
  });
}
function settled(answer: StructureAnswer): StructureAnswer & { ok: true } {
  if (!answer.ok) throw new Error(answer.error);
  return answer;
}

if (data.askForStructures) {
  // The pool's thread runs RDKit and keeps the structure cache: this thread starts neither.
  useStructureSource({
    async read(smiles) {
      return (settled(await ask({ kind: 'read', smiles })) as { reading: StructureReading }).reading;
    },
    async draw(smiles, options) {
      return (settled(await ask({ kind: 'draw', smiles, options })) as { svg: string }).svg;
    },
  });
} else if (data.structureCacheFolder !== undefined) useStructureCacheFolder(data.structureCacheFolder);

try {
  const renderer = await createRenderer({ templatesDir: data.templatesDir });
  port.on('message', async (message: RenderRequest | StructureAnswer) => {
    if ('question' in message) {
      const waiting = pending.get(message.question);
      pending.delete(message.question);
      waiting?.resolve(message);
      return;
    }
    const request = message;
    let response: RenderResponse;
    try {
      const { pdf, pages } = await renderer.render(request.dataset);
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      response = { id: request.id, ok: true, pdf: bytes, pages };
      // Hand the bytes over rather than copy them, when the PDF owns its whole buffer (not a pooled slice).
      const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      port.postMessage(response, owned ? [bytes.buffer as ArrayBuffer] : []);
    } catch (error) {
      response = {
        id: request.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        ...(error instanceof StructureUnanswered ? { retryable: true } : {}),
      };
      port.postMessage(response);
    }
  });
  port.postMessage({ ready: true, assetsDigest: renderer.assetsDigest } satisfies WorkerReady);
} catch (error) {
  port.postMessage({
    ready: false,
    error: error instanceof Error ? error.message : String(error),
  } satisfies WorkerReady);
}
