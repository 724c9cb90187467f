// Fans regeneration messages out to the SQS queue, ten per SendMessageBatch (the SQS limit), several
// batches in flight so that fanning out 100,000 compounds fits in an API request's time.
import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { mapLimited } from '../map-limited.ts';
import { QueueUnavailable } from '../service/errors.ts';
import type { Dispatcher, RegenerationMessage } from '../service/messages.ts';

const BATCH = 10;
const BATCHES_IN_FLIGHT = 16;

export class SqsDispatcher implements Dispatcher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async dispatch(messages: RegenerationMessage[]): Promise<void> {
    const batches: RegenerationMessage[][] = [];
    for (let start = 0; start < messages.length; start += BATCH)
      batches.push(messages.slice(start, start + BATCH));
    await mapLimited(batches, BATCHES_IN_FLIGHT, (batch) => this.send(batch));
  }

  private async send(batch: RegenerationMessage[]): Promise<void> {
    let entries = batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) }));
    // Entries can fail one by one (throttling); resend just those a few times.
    for (let attempt = 0; entries.length > 0; attempt++) {
      if (attempt === 3) throw new QueueUnavailable(`${entries.length} message(s) kept failing`);
      let answer: SendMessageBatchCommandOutput;
      try {
        answer = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
      } catch (error) {
        throw new QueueUnavailable('SendMessageBatch failed', { cause: error });
      }
      const failed = new Set((answer.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
    }
  }
}

/** Where regeneration messages go when no queue is configured: every dispatch is QueueUnavailable (a 503). */
export const unconfiguredQueue: Dispatcher = {
  async dispatch() {
    throw new QueueUnavailable('GUIDES_REGENERATION_QUEUE_URL is not configured');
  },
};
