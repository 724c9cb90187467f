// Regeneration job records (SPEC §5) in the guides bucket: jobs/<jobId>/job.json, and one small object per finished
// item, jobs/<jobId>/items/<compoundId>.<outcome>, so progress is counted by listing, without a database.
import { z } from 'zod';
import { COMPOUND_ID_PATTERN } from '../guide/dataset.ts';
import { mapLimited } from '../map-limited.ts';
import { keyPart } from './errors.ts';
import type { ObjectStore } from './objects.ts';

/** Regeneration job ids: a base-36 time then random hex (see newJobId). */
export const JOB_ID_PATTERN = /^[0-9a-z]{8,40}$/;

export const ITEM_OUTCOMES = ['succeeded', 'skipped', 'failed'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

export const jobRecordSchema = z.object({
  id: z.string().regex(JOB_ID_PATTERN),
  total: z.number().int().nonnegative(),
  force: z.boolean(),
  createdAt: z.string(),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

const failureRecordSchema = z.object({ message: z.string() });

/** An item key's name part: `<compoundId>.<outcome>`. */
const itemNameSchema = z
  .string()
  .transform((name) => name.split('.'))
  .pipe(z.tuple([z.string().regex(COMPOUND_ID_PATTERN), z.enum(ITEM_OUTCOMES)]));

export interface JobStatus {
  id: string;
  total: number;
  succeeded: number;
  skipped: number;
  failed: number;
  pending: number;
  errors: { compoundId: string; message: string }[];
}

// At most this many failure messages are read back for one status answer.
const MAX_ERRORS_SHOWN = 100;

export class JobStore {
  constructor(private readonly objects: ObjectStore) {}

  create(job: JobRecord): Promise<void> {
    return this.objects.putJson(this.jobKey(job.id), jobRecordSchema.parse(job));
  }

  /** Stores one item's outcome; a retried item's later success replaces an earlier failure. */
  async record(jobId: string, compoundId: string, outcome: ItemOutcome, message?: string): Promise<void> {
    const body = outcome === 'failed' ? { message: message ?? 'failed' } : {};
    await this.objects.putJson(this.itemKey(jobId, compoundId, outcome), body);
    // Only a failure is ever followed by another outcome (a redelivery); success and skip are final.
    if (outcome !== 'failed') await this.objects.deleteObject(this.itemKey(jobId, compoundId, 'failed'));
  }

  /** The job's counts and first failures, or null when there is no such job. */
  async status(jobId: string): Promise<JobStatus | null> {
    const job = await this.objects.getJson(this.jobKey(jobId), (v) => jobRecordSchema.parse(v));
    if (!job) return null;
    const prefix = `jobs/${jobId}/items/`;
    const outcomes = new Map<string, ItemOutcome>();
    for (const key of await this.objects.listKeys(prefix)) {
      const item = itemNameSchema.safeParse(key.slice(prefix.length));
      // Anything else under the prefix is not ours to count.
      if (!item.success) continue;
      const [compoundId, outcome] = item.data;
      // While a retry replaces a failure both may exist for a moment: success wins.
      if (outcomes.get(compoundId) === undefined || outcomes.get(compoundId) === 'failed') {
        outcomes.set(compoundId, outcome);
      }
    }
    const count = (o: ItemOutcome) => [...outcomes.values()].filter((v) => v === o).length;
    const failedIds = [...outcomes].filter(([, o]) => o === 'failed').map(([c]) => c);
    const errors = await mapLimited(failedIds.slice(0, MAX_ERRORS_SHOWN), 16, async (compoundId) => {
      const failure = await this.objects.getJson(this.itemKey(jobId, compoundId, 'failed'), (v) =>
        failureRecordSchema.parse(v),
      );
      return { compoundId, message: failure?.message ?? 'failed' };
    });
    return {
      id: jobId,
      total: job.total,
      succeeded: count('succeeded'),
      skipped: count('skipped'),
      failed: count('failed'),
      pending: Math.max(0, job.total - outcomes.size),
      errors,
    };
  }

  private jobKey(jobId: string): string {
    return `jobs/${keyPart('job id', JOB_ID_PATTERN, jobId)}/job.json`;
  }

  private itemKey(jobId: string, compoundId: string, outcome: ItemOutcome): string {
    const id = keyPart('compound id', COMPOUND_ID_PATTERN, compoundId);
    return `jobs/${keyPart('job id', JOB_ID_PATTERN, jobId)}/items/${id}.${outcome}`;
  }
}
