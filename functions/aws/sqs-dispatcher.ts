// Fans regeneration messages out to the SQS queue, ten per SendMessageBatch (the SQS limit), several
// batches in flight so that fanning out 100,000 compounds fits in an API request's time.
import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { mapLimited } from '../service/map-limited.ts';
import type { Dispatcher, RegenerationMessage } from '../service/regenerations.ts';
import { StorageUnavailable } from '../storage/s3.ts';

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
      if (attempt === 3)
        throw new StorageUnavailable('SendMessageBatch', this.queueUrl, 'entries kept failing');
      let answer: SendMessageBatchCommandOutput;
      try {
        answer = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
      } catch (error) {
        throw new StorageUnavailable('SendMessageBatch', this.queueUrl, 'queue unreachable', {
          cause: error,
        });
      }
      const failed = new Set((answer.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
    }
  }
}
