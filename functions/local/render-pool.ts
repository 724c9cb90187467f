// A pool of worker threads that render guides, so CPU-bound rendering never blocks the event loop that
// serves HTTP. One renderer per thread, created once; tasks queue when every thread is busy.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Dataset } from '../guide/dataset.ts';
import { RenderFailed } from '../guide/errors.ts';
import type { RenderedGuide } from '../guide/render.ts';
import type { RenderRequest, RenderResponse, WorkerReady } from './render-protocol.ts';

interface Task {
  id: number;
  dataset: Dataset;
  resolve: (guide: RenderedGuide) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

export interface RenderPoolOptions {
  /** The built worker script (dist/render-worker.js). */
  workerScript: string;
  templatesDir: string;
  /** Each thread keeps RDKit's answers in this folder (structureCacheFolder); none kept when omitted. */
  structureCacheFolder?: string;
  size?: number;
}

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;
  /** Replacement threads being started. */
  private respawning = 0;
  private constructor(
    private readonly options: RenderPoolOptions,
    readonly assetsDigest: string,
  ) {}

  /** Starts the threads and waits until each has its renderer; resolves with the pool. */
  static async start(options: RenderPoolOptions): Promise<RenderPool> {
    const size = Math.max(1, options.size ?? availableParallelism());
    const spawned = await Promise.all(Array.from({ length: size }, () => spawnWorker(options)));
    const pool = new RenderPool(options, spawned[0]!.digest);
    for (const { worker } of spawned) pool.adopt(worker);
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  render(dataset: Dataset): Promise<RenderedGuide> {
    if (this.closed) return Promise.reject(new RenderFailed('render pool is closed', true));
    if (this.slots.length === 0 && this.respawning === 0)
      return Promise.reject(new RenderFailed('no render thread', true));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, dataset, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new RenderFailed('render pool is closed', true));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    this.slots.length = 0;
  }

  private adopt(worker: Worker): void {
    const slot: Slot = { worker, task: undefined };
    this.slots.push(slot);
    worker.on('message', (message: RenderResponse) => {
      const task = slot.task;
      if (!task || message.id !== task.id) return;
      slot.task = undefined;
      if (message.ok)
        task.resolve({
          pdf: Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.byteLength),
          pages: message.pages,
        });
      else task.reject(new RenderFailed(message.error));
      this.pump();
    });
    // A thread that dies (out of memory, a crash in a dependency) emits 'error' then 'exit': the error must be
    // listened to (unheard, Node rethrows it in the main thread); 'exit' fails the task and starts a replacement.
    worker.on('error', () => {});
    worker.on('exit', () => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.task?.reject(new RenderFailed('the render thread ran out of memory or crashed'));
      slot.task = undefined;
      if (this.closed) return;
      this.respawning++;
      spawnWorker(this.options).then(
        ({ worker: replacement }) => {
          this.respawning--;
          if (this.closed) void replacement.terminate();
          else {
            this.adopt(replacement);
            this.pump();
          }
        },
        (error: unknown) => {
          this.respawning--;
          // No thread could be started again: with none left, queued renders would wait forever.
          if (this.slots.length > 0) return;
          const reason = `render thread could not be restarted: ${error instanceof Error ? error.message : String(error)}`;
          for (const task of this.queue.splice(0)) task.reject(new RenderFailed(reason, true));
        },
      );
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      const task = this.queue.shift();
      if (!task) return;
      slot.task = task;
      const request: RenderRequest = { id: task.id, dataset: task.dataset };
      slot.worker.postMessage(request);
    }
  }
}

function spawnWorker(options: RenderPoolOptions): Promise<{ worker: Worker; digest: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(options.workerScript, {
      workerData: { templatesDir: options.templatesDir, structureCacheFolder: options.structureCacheFolder },
      // Rendering churns through garbage; without a cap V8 lets each thread's heap grow to hundreds of MB
      // before collecting. 96 MB old space holds a 500-target, 94-page guide with room to spare.
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 },
    });
    const onError = (error: Error) => reject(error);
    const onExit = (code: number) =>
      reject(new RenderFailed(`render thread exited with ${code} before it was ready`));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', (message: WorkerReady) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (message.ready) resolve({ worker, digest: message.assetsDigest });
      else {
        void worker.terminate();
        reject(new RenderFailed(message.error));
      }
    });
  });
}
