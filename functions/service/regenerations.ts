// Batch regeneration (SPEC §5): jobs fan out one message per compound; each item's outcome is a small
// object under jobs/<jobId>/, so progress is counted by listing, without a database.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { COMPOUND_ID_PATTERN, DatasetInvalid } from '../guide/dataset.ts';
import type { ObjectStore } from '../storage/objects.ts';
import { StorageUnavailable } from '../storage/s3.ts';
import { CompoundNotFound, type DatasetSource, type GuideService } from './guides.ts';
import { mapLimited } from './map-limited.ts';

/** One unit of work: regenerate one compound, on behalf of a job or of a dataset change. */
export interface RegenerationMessage {
  compoundId: string;
  force: boolean;
  jobId?: string;
  /** The dataset's ETag when the job was started: lets the worker skip a current guide cheaply. */
  datasetEtag?: string;
}

/** Regeneration job ids: a base-36 time then random hex (see RegenerationJobs.start). */
export const JOB_ID_PATTERN = /^[0-9a-z]{8,40}$/;

export const regenerationMessageSchema = z.strictObject({
  compoundId: z.string().regex(COMPOUND_ID_PATTERN),
  force: z.boolean(),
  jobId: z.string().regex(JOB_ID_PATTERN).optional(),
  datasetEtag: z.string().max(200).optional(),
});

/** Delivers messages to the worker: SQS on AWS, an in-process queue locally. */
export interface Dispatcher {
  dispatch(messages: RegenerationMessage[]): Promise<void>;
}

export type ItemOutcome = 'succeeded' | 'skipped' | 'failed';

export interface JobStatus {
  id: string;
  total: number;
  succeeded: number;
  skipped: number;
  failed: number;
  pending: number;
  errors: { compoundId: string; message: string }[];
}

const jobSchema = z.object({ id: z.string(), total: z.number(), force: z.boolean(), createdAt: z.string() });
const failureSchema = z.object({ message: z.string() });

// At most this many failure messages are read back for one status answer.
const MAX_ERRORS_SHOWN = 100;

export class RegenerationJobs {
  constructor(
    private readonly objects: ObjectStore,
    private readonly datasets: DatasetSource,
    private readonly dispatcher: Dispatcher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records the job, reports unknown ids as failed items at once, and queues the rest. */
  async start(
    target: { all: true } | { compoundIds: string[] },
    force: boolean,
  ): Promise<{ id: string; queued: number }> {
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
    await this.objects.putJson(this.jobKey(id), {
      id,
      total: wanted.length + unknown.length,
      force,
      createdAt: this.now().toISOString(),
    });
    await mapLimited(unknown, 8, (c) => this.record(id, c, 'failed', `unknown compound "${c}"`));
    await this.dispatcher.dispatch(
      wanted.map((compoundId) => ({ compoundId, force, jobId: id, datasetEtag: known.get(compoundId)! })),
    );
    return { id, queued: wanted.length };
  }

  /** Stores one item's outcome; a retried item's later success replaces an earlier failure. */
  async record(jobId: string, compoundId: string, outcome: ItemOutcome, message?: string): Promise<void> {
    const body = outcome === 'failed' ? { message: message ?? 'failed' } : {};
    await this.objects.putJson(this.itemKey(jobId, compoundId, outcome), body);
    // Only a failure is ever followed by another outcome (a redelivery); success and skip are final.
    if (outcome !== 'failed') await this.objects.deleteObject(this.itemKey(jobId, compoundId, 'failed'));
  }

  async status(jobId: string): Promise<JobStatus | null> {
    const job = await this.objects.getJson(this.jobKey(jobId), (v) => jobSchema.parse(v));
    if (!job) return null;
    const prefix = `jobs/${jobId}/items/`;
    const outcomes = new Map<string, ItemOutcome>();
    for (const key of await this.objects.listKeys(prefix)) {
      const [compoundId, outcome] = key.slice(prefix.length).split('.') as [string, ItemOutcome];
      // While a retry replaces a failure both may exist for a moment: success wins.
      if (outcomes.get(compoundId) === undefined || outcomes.get(compoundId) === 'failed') {
        outcomes.set(compoundId, outcome);
      }
    }
    const count = (o: ItemOutcome) => [...outcomes.values()].filter((v) => v === o).length;
    const failedIds = [...outcomes].filter(([, o]) => o === 'failed').map(([c]) => c);
    const errors = await mapLimited(failedIds.slice(0, MAX_ERRORS_SHOWN), 16, async (compoundId) => {
      const failure = await this.objects.getJson(this.itemKey(jobId, compoundId, 'failed'), (v) =>
        failureSchema.parse(v),
      );
      return { compoundId, message: failure?.message ?? 'failed' };
    });
    const done = outcomes.size;
    return {
      id: jobId,
      total: job.total,
      succeeded: count('succeeded'),
      skipped: count('skipped'),
      failed: count('failed'),
      pending: Math.max(0, job.total - done),
      errors,
    };
  }

  private jobKey(jobId: string): string {
    return `jobs/${jobId}/job.json`;
  }

  private itemKey(jobId: string, compoundId: string, outcome: ItemOutcome): string {
    return `jobs/${jobId}/items/${compoundId}.${outcome}`;
  }
}

/** A failure that retrying will not fix: the item is recorded as failed and the message is not retried. */
function permanentFailure(error: unknown): string | undefined {
  if (error instanceof CompoundNotFound) return `unknown compound "${error.compoundId}"`;
  if (error instanceof DatasetInvalid) {
    const first = error.issues.slice(0, 3).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    return `dataset invalid: ${first.join('; ')}${error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : ''}`;
  }
  return undefined;
}

/**
 * The worker's job for one message, shared by the Lambda worker and local mode. Resolves with the outcome;
 * throws (after recording the failure) only for transient errors that a redelivery may fix.
 */
export async function processRegeneration(
  message: RegenerationMessage,
  guides: GuideService,
  jobs: RegenerationJobs | undefined,
): Promise<ItemOutcome> {
  const record = (outcome: ItemOutcome, text?: string) =>
    message.jobId && jobs ? jobs.record(message.jobId, message.compoundId, outcome, text) : Promise.resolve();
  try {
    const result = await guides.regenerate(message.compoundId, {
      force: message.force,
      ...(message.datasetEtag ? { datasetEtag: message.datasetEtag } : {}),
    });
    const outcome: ItemOutcome = result === 'rendered' ? 'succeeded' : 'skipped';
    await record(outcome);
    return outcome;
  } catch (error) {
    const permanent = permanentFailure(error);
    if (permanent) {
      await record('failed', permanent);
      return 'failed';
    }
    const text =
      error instanceof StorageUnavailable ? 'storage unavailable; will retry' : 'render failed; will retry';
    await record('failed', text).catch(() => undefined);
    throw error;
  }
}
