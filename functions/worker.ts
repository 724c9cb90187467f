// Lambda entry point for the regeneration queue: S3 dataset notifications and job items, parsed with Powertools'
// schemas, with partial batch failure reporting so that one poisoned record is retried (and dead-lettered) alone.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import type { ParsedRecord } from '@aws-lambda-powertools/batch/types';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics, settings, wiring } from './aws/lambda-wiring.ts';
import { type QueueMessage, queueMessageSchema, workItemOf } from './service/messages.ts';
import { handleWorkItem } from './service/worker.ts';

const processor = new BatchProcessor(EventType.SQS, {
  parser,
  innerSchema: queueMessageSchema,
  transformer: 'json',
  logger,
});

async function recordHandler(record: ParsedRecord<SQSRecord, QueueMessage>): Promise<void> {
  const { guides, jobStore } = await wiring;
  // The last delivery before the dead-letter queue records a transient failure as final, not "will retry".
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  const results = await handleWorkItem(workItemOf(record.body), guides, jobStore, {
    attempt,
    maxAttempts: settings.queueMaxReceives,
  });
  for (const result of results) {
    logger.info('regeneration item done', { ...result, messageId: record.messageId });
    metrics.addMetric(`Guides_${result.outcome}`, 'Count', 1);
  }
}

export const handler = async (event: SQSEvent, context: Context) => {
  try {
    return await processPartialResponse(event, recordHandler, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
};
