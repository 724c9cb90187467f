// Batch regeneration (SPEC §5): a job records what it covers, reports unknown compounds at once and fans out one
// regeneration message per known compound; the worker step (worker.ts) records each item's outcome.
import { randomBytes } from 'node:crypto';
import { mapLimited } from '../map-limited.ts';
import type { JobStatus, JobStore } from '../storage/jobs.ts';
import type { DatasetSource } from './guides.ts';
import type { Dispatcher } from './messages.ts';

export type RegenerationTarget = { all: true } | { compoundIds: string[] };

export class RegenerationJobs {
  constructor(
    readonly store: JobStore,
    private readonly datasets: DatasetSource,
    private readonly dispatcher: Dispatcher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records the job, reports unknown ids as failed items at once, and queues the rest. */
  async start(target: RegenerationTarget, force: boolean): Promise<{ id: string; queued: number }> {
    const id = `${this.now().getTime().toString(36)}${randomBytes(5).toString('hex')}`;
    const known = await this.datasets.listEtags();
    let wanted: string[];
    let unknown: string[] = [];
    if ('all' in target) wanted = [...known.keys()];
    else {
      const unique = [...new Set(target.compoundIds)];
      wanted = unique.filter((c) => known.has(c));
      unknown = unique.filter((c) => !known.has(c));
    }
    await this.store.create({
      id,
      total: wanted.length + unknown.length,
      force,
      createdAt: this.now().toISOString(),
    });
    await mapLimited(unknown, 8, (c) => this.store.record(id, c, 'failed', `unknown compound "${c}"`));
    await this.dispatcher.dispatch(
      wanted.map((compoundId) => ({ compoundId, force, jobId: id, datasetEtag: known.get(compoundId)! })),
    );
    return { id, queued: wanted.length };
  }

  status(jobId: string): Promise<JobStatus | null> {
    return this.store.status(jobId);
  }
}
