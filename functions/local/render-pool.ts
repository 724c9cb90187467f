// A pool of worker threads that render guides, so CPU-bound rendering never blocks the event loop that
// serves HTTP. One renderer per thread; tasks queue when every thread is busy. Threads start on demand up to the
// pool's size and, when told to, end after an idle period: each holds tens of MB (pdfmake, fonts, Graphviz) that a
// server answering from stored guides does not need.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StructureSource } from '../chemistry/structure.ts';
import type { Dataset } from '../guide/dataset.ts';
import { RenderFailed } from '../guide/errors.ts';
import type { RenderedGuide } from '../guide/render.ts';
import type {
  RenderRequest,
  RenderResponse,
  RenderWorkerData,
  StructureAnswer,
  StructureQuestion,
  WorkerReady,
} from './render-protocol.ts';

interface Task {
  id: number;
  dataset: Dataset;
  resolve: (guide: RenderedGuide) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
  /** Ends the thread when it has had nothing to do for long enough (idleMs, spareIdleMs). */
  idleTimer: NodeJS.Timeout | undefined;
  /** When it last finished a task or started (performance.now()); undefined while busy. */
  idleSince: number | undefined;
  /** Ended on purpose (idle, or the pool closing): its exit is no crash. */
  retired: boolean;
}

export interface RenderPoolOptions {
  /** The built worker script (dist/render-worker.js). */
  workerScript: string;
  templatesDir: string;
  /** Each thread keeps RDKit's answers in this folder (structureCacheFolder); none kept when omitted. */
  structureCacheFolder?: string;
  /**
   * The threads ask this (in the pool's thread) for structures instead of starting RDKit themselves; it answers from
   * its own caches and RDKit, so structureCacheFolder is then unused.
   */
  structures?: StructureSource;
  /** The most threads at once; defaults to the number of cores. */
  size?: number;
  /** A thread with nothing to do for this long ends; the next render starts one again. Never when omitted. */
  idleMs?: number;
  /**
   * While another thread runs, one with nothing to do for this long ends (idleMs when omitted): a burst's extra
   * threads go soon, the last one stays for idleMs to render the next single guide warm.
   */
  spareIdleMs?: number;
  /** A thread that has not reported ready after this long is ended and counts as failing to start (60 s). */
  startTimeoutMs?: number;
  /** How long a thread waits for an answer about a structure before its render fails, retryable (60 s). */
  structureTimeoutMs?: number;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Each render thread's heap. Rendering churns through garbage; without a cap V8 lets a heap grow to hundreds of MB
 * before collecting. 96 MB old space holds a 500-target, 94-page guide with room to spare. (bench/run.mjs measures
 * render.warm under the same limits: --max-old-space-size=96, and a third of the young generation per semi-space.)
 */
export const RENDER_THREAD_HEAP = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 } as const;

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;
  /** Threads being started. */
  private starting = 0;
  private constructor(
    private readonly options: RenderPoolOptions,
    /** The most threads at once. */
    readonly size: number,
    readonly assetsDigest: string,
  ) {}

  /** Starts every thread and waits until each has its renderer (a thread that cannot start fails here, not later). */
  static async start(options: RenderPoolOptions): Promise<RenderPool> {
    const size = Math.max(1, options.size ?? availableParallelism());
    const starting = Array.from({ length: size }, () => spawnWorker(options));
    const spawned = await Promise.all(starting).catch(async (error: unknown) => {
      // One thread could not start: the others, started or still starting, end with it.
      const started = await Promise.allSettled(starting);
      await Promise.all(
        started.map((s) => (s.status === 'fulfilled' ? s.value.worker.terminate() : undefined)),
      );
      throw error;
    });
    const pool = new RenderPool(options, size, spawned[0]!.digest);
    for (const { worker } of spawned) pool.adopt(worker);
    return pool;
  }

  /** Threads running now (fewer than size after idle ones ended). */
  get threads(): number {
    return this.slots.length;
  }

  render(dataset: Dataset): Promise<RenderedGuide> {
    if (this.closed) return Promise.reject(new RenderFailed('render pool is closed', true));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, dataset, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new RenderFailed('render pool is closed', true));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      this.retire(slot);
      slot.task?.reject(new RenderFailed('render pool is closed', true));
      slot.task = undefined;
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private retire(slot: Slot): void {
    slot.retired = true;
    clearTimeout(slot.idleTimer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  private adopt(worker: Worker): void {
    // Ended between reporting ready and being adopted (siblings still starting): its exit went unheard.
    if (worker.threadId === -1) {
      this.pump();
      return;
    }
    const slot: Slot = {
      worker,
      task: undefined,
      idleTimer: undefined,
      idleSince: performance.now(),
      retired: false,
    };
    this.slots.push(slot);
    worker.on('message', (message: RenderResponse | StructureQuestion) => {
      if ('question' in message) {
        void this.answer(worker, message);
        return;
      }
      const task = slot.task;
      if (!task || message.id !== task.id) return;
      slot.task = undefined;
      if (message.ok)
        task.resolve({
          pdf: Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.byteLength),
          pages: message.pages,
        });
      else task.reject(new RenderFailed(message.error, message.retryable === true));
      this.pump();
    });
    // A thread that dies (out of memory, a crash in a dependency) emits 'error' then 'exit': the error must be
    // listened to (unheard, Node rethrows it in the main thread); 'exit' fails the task, and the queue, if any,
    // gets a new thread.
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (slot.retired) return;
      this.retire(slot);
      slot.task?.reject(new RenderFailed('the render thread ran out of memory or crashed'));
      slot.task = undefined;
      this.pump();
    });
    this.pump();
  }

  /** Gives queued tasks to idle threads, starts threads for the rest (up to size), and arms idle timers. */
  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.task) continue;
      const task = this.queue.shift();
      if (!task) break;
      clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      slot.idleSince = undefined;
      slot.task = task;
      const request: RenderRequest = { id: task.id, dataset: task.dataset };
      slot.worker.postMessage(request);
    }
    const wanted = Math.min(this.queue.length, this.size - this.slots.length - this.starting);
    for (let i = 0; i < wanted; i++) this.spawn();
    for (const slot of this.slots) if (!slot.task && !slot.idleTimer) this.watchIdle(slot);
  }

  /** Ends an idle thread once it has been idle for spareIdleMs while others run, or idleMs as the last one. */
  private watchIdle(slot: Slot): void {
    const { idleMs } = this.options;
    if (idleMs === undefined) return;
    const spareIdleMs = this.options.spareIdleMs ?? idleMs;
    slot.idleSince ??= performance.now();
    const allowed = () => (this.slots.length > 1 ? spareIdleMs : idleMs);
    const idleFor = () => performance.now() - slot.idleSince!;
    slot.idleTimer = setTimeout(
      () => {
        slot.idleTimer = undefined;
        if (slot.task || slot.retired) return;
        // The last thread's allowance may have grown since the timer was set (another thread ended).
        if (idleFor() < allowed()) return this.watchIdle(slot);
        this.retire(slot);
        void slot.worker.terminate();
      },
      Math.max(0, allowed() - idleFor()),
    );
    slot.idleTimer.unref();
  }

  private spawn(): void {
    this.starting++;
    const failed = (reason: string) => {
      // No thread could be started: with none left, queued renders would wait forever.
      if (this.slots.length > 0 || this.starting > 0) return;
      for (const task of this.queue.splice(0)) task.reject(new RenderFailed(reason, true));
    };
    spawnWorker(this.options).then(
      ({ worker, digest }) => {
        this.starting--;
        if (this.closed) void worker.terminate();
        else if (digest !== this.assetsDigest) {
          // Templates or the renderer changed on disk since the pool started: guides are fingerprinted with the
          // pool's digest, so a thread rendering from other files must not serve (threads restart after idling).
          void worker.terminate();
          failed('the templates changed since the service started; restart it to render with them');
        } else this.adopt(worker);
      },
      (error: unknown) => {
        this.starting--;
        failed(
          `render thread could not be started: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
  }

  /** Answers a thread's question about a structure from this thread's source. */
  private async answer(worker: Worker, question: StructureQuestion): Promise<void> {
    const { structures } = this.options;
    let answer: StructureAnswer;
    try {
      if (!structures) throw new Error('the render pool was given no structure source');
      answer =
        question.kind === 'read'
          ? { question: question.question, ok: true, reading: await structures.read(question.smiles) }
          : {
              question: question.question,
              ok: true,
              svg: await structures.draw(question.smiles, question.options),
            };
    } catch (error) {
      answer = {
        question: question.question,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    // A thread that ended meanwhile has no one to read the answer.
    try {
      worker.postMessage(answer);
    } catch {}
  }
}

function spawnWorker(options: RenderPoolOptions): Promise<{ worker: Worker; digest: string }> {
  return new Promise((resolve, reject) => {
    const workerData: RenderWorkerData = {
      templatesDir: options.templatesDir,
      ...(options.structures
        ? { askForStructures: true }
        : options.structureCacheFolder === undefined
          ? {}
          : { structureCacheFolder: options.structureCacheFolder }),
      ...(options.structureTimeoutMs === undefined ? {} : { structureTimeoutMs: options.structureTimeoutMs }),
    };
    const worker = new Worker(options.workerScript, {
      workerData,
      resourceLimits: RENDER_THREAD_HEAP,
    });
    const startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
    // A thread stuck while loading (a hung file system, a wedged dependency) must not keep renders queued forever.
    const timer = setTimeout(() => {
      settle();
      void worker.terminate();
      reject(new RenderFailed(`render thread did not become ready within ${startTimeoutMs / 1000} s`, true));
    }, startTimeoutMs);
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new RenderFailed(`render thread exited with ${code} before it was ready`));
    };
    const onMessage = (message: WorkerReady) => {
      settle();
      if (message.ready) resolve({ worker, digest: message.assetsDigest });
      else {
        void worker.terminate();
        reject(new RenderFailed(message.error));
      }
    };
    const settle = () => {
      clearTimeout(timer);
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.off('message', onMessage);
      // Until the pool adopts it (or it is ended), an error the thread emits must still be heard: unheard, Node
      // rethrows it in the main thread.
      worker.on('error', () => {});
    };
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', onMessage);
  });
}
