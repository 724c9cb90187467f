// Entry point of one render thread (bundled to dist/render-worker.js): one renderer, many renders.
import { parentPort, workerData } from 'node:worker_threads';
import { useStructureCacheFolder } from '../chemistry/structure-cache-files.ts';
import { createRenderer } from '../guide/render.ts';
import type { RenderRequest, RenderResponse, WorkerReady } from './render-protocol.ts';

const port = parentPort!;
const data = workerData as { templatesDir: string; structureCacheFolder?: string };
if (data.structureCacheFolder !== undefined) useStructureCacheFolder(data.structureCacheFolder);
try {
  const renderer = await createRenderer({ templatesDir: data.templatesDir });
  port.on('message', async (request: RenderRequest) => {
    let response: RenderResponse;
    try {
      const { pdf, pages } = await renderer.render(request.dataset);
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      response = { id: request.id, ok: true, pdf: bytes, pages };
      // Hand the bytes over rather than copy them, when the PDF owns its whole buffer (not a pooled slice).
      const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      port.postMessage(response, owned ? [bytes.buffer as ArrayBuffer] : []);
    } catch (error) {
      response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
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
