// A render thread for pool tests: answers like the real one, but throws for compound "crash" (an uncaught
// error kills the thread), answers "slow" after 5 s, never starts when told to fail, and never reports ready (but
// stays alive) with a templatesDir of `never-ready`. With a templatesDir of
// `digest:<file>`, its assets digest is that file's content (as the real one hashes the templates when it starts).
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

if (workerData.templatesDir === 'fail-to-start') throw new Error('cannot start');
const digest = workerData.templatesDir.startsWith('digest:')
  ? readFileSync(workerData.templatesDir.slice('digest:'.length), 'utf8')
  : 'test-digest';
if (workerData.templatesDir === 'never-ready') setInterval(() => {}, 60_000);
else parentPort.postMessage({ ready: true, assetsDigest: digest });
parentPort.on('message', (request) => {
  if (request.dataset.compound.id === 'crash')
    setImmediate(() => {
      throw new Error('boom');
    });
  else if (request.dataset.compound.id === 'slow')
    setTimeout(
      () => parentPort.postMessage({ id: request.id, ok: true, pdf: new Uint8Array(), pages: 1 }),
      5_000,
    );
  else
    parentPort.postMessage({
      id: request.id,
      ok: true,
      pdf: new TextEncoder().encode(`%PDF-${request.dataset.compound.id}`),
      pages: 1,
    });
});
