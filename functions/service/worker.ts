// The regeneration worker's step for one queue item, shared by the Lambda worker and local mode.
import type { WorkItem } from './events.ts';
import type { GuideService } from './guides.ts';
import { type ItemOutcome, processRegeneration, type RegenerationJobs } from './regenerations.ts';

export interface WorkResult {
  compoundId: string;
  outcome: ItemOutcome | 'withdrawn';
}

/** Carries out one work item. Throws only when a redelivery may succeed (storage trouble). */
export async function handleWorkItem(
  item: WorkItem,
  guides: GuideService,
  jobs: RegenerationJobs,
): Promise<WorkResult[]> {
  switch (item.type) {
    case 'ignored':
      return [];
    case 'regeneration':
      return [
        {
          compoundId: item.message.compoundId,
          outcome: await processRegeneration(item.message, guides, jobs),
        },
      ];
    case 'dataset': {
      const results: WorkResult[] = [];
      for (const change of item.changes) {
        if (change.kind === 'deleted') {
          const withdrawn = await guides.withdraw(change.compoundId);
          // The dataset is back (a re-upload overtook this delete): make sure its guide is current instead.
          const outcome = withdrawn
            ? 'withdrawn'
            : await processRegeneration({ compoundId: change.compoundId, force: false }, guides, jobs);
          results.push({ compoundId: change.compoundId, outcome });
        } else {
          const outcome = await processRegeneration(
            { compoundId: change.compoundId, force: false },
            guides,
            jobs,
          );
          results.push({ compoundId: change.compoundId, outcome });
        }
      }
      return results;
    }
  }
}
