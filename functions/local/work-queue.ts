// Local stand-in for the SQS queue: the same work items, handled in-process with bounded concurrency.
import type { GuideService } from '../service/guides.ts';
import type { Dispatcher, RegenerationMessage, WorkItem } from '../service/messages.ts';
import { handleWorkItem, type WorkResult } from '../service/worker.ts';
import type { JobStore } from '../storage/jobs.ts';
import type { LocalLog } from './log.ts';

// A transient failure is retried this many times, like SQS's maxReceiveCount before the DLQ.
const MAX_ATTEMPTS = 3;

export class LocalWorkQueue implements Dispatcher {
  private readonly waiting: { item: WorkItem; attempt: number }[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly guides: GuideService,
    private readonly jobs: JobStore,
    private readonly log: LocalLog,
    private readonly concurrency: number,
    private readonly onResult: (result: WorkResult) => void = () => {},
  ) {}

  async dispatch(messages: RegenerationMessage[]): Promise<void> {
    for (const message of messages) this.push({ type: 'regeneration', message });
  }

  push(item: WorkItem, attempt = 1): void {
    this.waiting.push({ item, attempt });
    this.pump();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.running++;
      this.run(next.item, next.attempt).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.waiting.length === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      });
    }
  }

  private async run(item: WorkItem, attempt: number): Promise<void> {
    try {
      for (const result of await handleWorkItem(item, this.guides, this.jobs)) {
        this.log.info(`guide ${result.outcome}`, { compoundId: result.compoundId });
        this.onResult(result);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt < MAX_ATTEMPTS) {
        this.log.warn('work item failed; retrying', { attempt, error: message });
        setTimeout(() => this.push(item, attempt + 1), 200 * 2 ** attempt).unref();
      } else {
        this.log.error('work item failed for good', { attempts: attempt, error: message });
      }
    }
  }
}
