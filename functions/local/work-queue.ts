// Local stand-in for the SQS queue: the same work items, handled in-process with bounded concurrency. Job items are
// journaled (work-journal.ts) until they finish, so a crash loses none: `resume` runs them again after a restart.
import type { GuideService } from '../service/guides.ts';
import type { Dispatcher, RegenerationMessage, WorkItem } from '../service/messages.ts';
import { handleWorkItem, type WorkResult } from '../service/worker.ts';
import type { JobStore } from '../storage/jobs.ts';
import type { LocalLog } from './log.ts';
import type { WorkJournal } from './work-journal.ts';

// A transient failure is retried this many times, like SQS's maxReceiveCount before the DLQ.
export const MAX_ATTEMPTS = 3;

interface Queued {
  item: WorkItem;
  attempt: number;
  /** The journal entry to forget once the item is finished. */
  entry: string | undefined;
}

export class LocalWorkQueue implements Dispatcher {
  private readonly waiting: Queued[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly guides: GuideService,
    private readonly jobs: JobStore,
    private readonly log: LocalLog,
    private readonly concurrency: number,
    private readonly onResult: (result: WorkResult) => void = () => {},
    private readonly journal?: WorkJournal,
  ) {}

  /** Queues job items; resolves once each is journaled, so an accepted job survives a crash. */
  async dispatch(messages: RegenerationMessage[]): Promise<void> {
    const entries = await Promise.all(messages.map((message) => this.journal?.add(message)));
    for (const [i, message] of messages.entries())
      this.push({ type: 'regeneration', message }, 1, entries[i]);
  }

  /** Queues again the job items a previous run left unfinished; resolves with how many. */
  async resume(): Promise<number> {
    const unfinished = (await this.journal?.unfinished()) ?? [];
    for (const { entry, message } of unfinished) this.push({ type: 'regeneration', message }, 1, entry);
    return unfinished.length;
  }

  push(item: WorkItem, attempt = 1, entry?: string): void {
    this.waiting.push({ item, attempt, entry });
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
      this.run(next).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.waiting.length === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      });
    }
  }

  private async run({ item, attempt, entry }: Queued): Promise<void> {
    try {
      const results = await handleWorkItem(item, this.guides, this.jobs, {
        attempt,
        maxAttempts: MAX_ATTEMPTS,
      });
      for (const result of results) {
        this.log.info(`guide ${result.outcome}`, { compoundId: result.compoundId });
        this.onResult(result);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt < MAX_ATTEMPTS) {
        this.log.warn('work item failed; retrying', { attempt, error: message });
        setTimeout(() => this.push(item, attempt + 1, entry), 200 * 2 ** attempt).unref();
        return;
      }
      // The failure is recorded in the job as final (see processRegeneration); nothing more will come of it.
      this.log.error('work item failed for good', { attempts: attempt, error: message });
    }
    if (entry !== undefined) await this.journal?.finish(entry).catch(() => undefined);
  }
}
