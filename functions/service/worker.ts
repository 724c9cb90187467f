// The regeneration worker's step for one queue item, shared by the Lambda worker and local mode.
import { DatasetInvalid } from '../guide/dataset.ts';
import type { ItemOutcome, JobStore } from '../storage/jobs.ts';
import { StorageUnavailable } from '../storage/errors.ts';
import { RenderFailed } from '../guide/errors.ts';
import { CompoundNotFound } from './errors.ts';
import type { GuideService } from './guides.ts';
import type { RegenerationMessage, WorkItem } from './messages.ts';

export interface WorkResult {
  compoundId: string;
  outcome: ItemOutcome | 'withdrawn';
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

/** Which delivery of a queue item this is: on the last one a transient failure is recorded as final. */
export interface Delivery {
  attempt: number;
  maxAttempts: number;
}

/** The job status text of a failure that a redelivery may fix, honest about whether one will come. */
function transientFailure(error: unknown, delivery: Delivery | undefined): string {
  const what =
    error instanceof StorageUnavailable
      ? 'storage unavailable'
      : error instanceof RenderFailed
        ? `render failed (${error.message})`
        : 'render failed';
  if (delivery === undefined || delivery.attempt < delivery.maxAttempts) return `${what}; will retry`;
  return `${what}; gave up after ${delivery.attempt} attempts`;
}

/**
 * One compound's regeneration. Resolves with the outcome; throws (after recording the failure) only for transient
 * errors that a redelivery may fix.
 */
export async function processRegeneration(
  message: RegenerationMessage,
  guides: GuideService,
  jobs: JobStore | undefined,
  delivery?: Delivery,
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
    await record('failed', transientFailure(error, delivery)).catch(() => undefined);
    throw error;
  }
}

/** Carries out one work item. Throws only when a redelivery may succeed (storage trouble). */
export async function handleWorkItem(
  item: WorkItem,
  guides: GuideService,
  jobs: JobStore,
  delivery?: Delivery,
): Promise<WorkResult[]> {
  switch (item.type) {
    case 'ignored':
      return [];
    case 'regeneration':
      return [
        {
          compoundId: item.message.compoundId,
          outcome: await processRegeneration(item.message, guides, jobs, delivery),
        },
      ];
    case 'dataset': {
      const results: WorkResult[] = [];
      for (const change of item.changes) {
        // A delete that a re-upload overtook withdraws nothing: the guide is made current instead.
        const withdrawn = change.kind === 'deleted' && (await guides.withdraw(change.compoundId));
        const outcome = withdrawn
          ? 'withdrawn'
          : await processRegeneration({ compoundId: change.compoundId, force: false }, guides, jobs);
        results.push({ compoundId: change.compoundId, outcome });
      }
      return results;
    }
  }
}
