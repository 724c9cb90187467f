// The SQS fan-out, against a recording stand-in for SQS (AWS itself cannot run here): batches of ten,
// entries that fail one by one are resent, a queue that keeps failing or is missing is QueueUnavailable.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsDispatcher, unconfiguredQueue } from '../../functions/aws/sqs-dispatcher.ts';
import { QueueUnavailable } from '../../functions/service/errors.ts';

interface Entry {
  Id: string;
  MessageBody: string;
}

function fakeSqs(failIds: (call: number) => string[] | 'throw') {
  const calls: Entry[][] = [];
  const client = {
    async send(command: { input: { QueueUrl: string; Entries: Entry[] } }) {
      calls.push(command.input.Entries);
      const failing = failIds(calls.length);
      if (failing === 'throw') throw new Error('connect ECONNREFUSED');
      return {
        Successful: command.input.Entries.filter((e) => !failing.includes(e.Id)).map((e) => ({ Id: e.Id })),
        Failed: failing.map((Id) => ({ Id, Code: 'ThrottlingException', SenderFault: false })),
      };
    },
  };
  return { client: client as unknown as SQSClient, calls };
}

const messages = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ compoundId: `c${i}`, force: false, jobId: 'job12345' }));

describe('SqsDispatcher', () => {
  it('sends one message per compound, ten per batch', async () => {
    const sqs = fakeSqs(() => []);
    await new SqsDispatcher(sqs.client, 'https://sqs.example/q').dispatch(messages(23));
    expect(sqs.calls.map((c) => c.length)).toEqual([10, 10, 3]);
    const bodies = sqs.calls.flat().map((e) => JSON.parse(e.MessageBody).compoundId);
    expect(new Set(bodies).size).toBe(23);
  });

  it('resends only the entries that failed', async () => {
    const sqs = fakeSqs((call) => (call === 1 ? ['3', '7'] : []));
    await new SqsDispatcher(sqs.client, 'https://sqs.example/q').dispatch(messages(10));
    expect(sqs.calls[1]!.map((e) => JSON.parse(e.MessageBody).compoundId)).toEqual(['c3', 'c7']);
  });

  it('gives up as QueueUnavailable when the queue keeps failing', async () => {
    await expect(
      new SqsDispatcher(fakeSqs(() => ['0']).client, 'q').dispatch(messages(1)),
    ).rejects.toBeInstanceOf(QueueUnavailable);
    await expect(
      new SqsDispatcher(fakeSqs(() => 'throw').client, 'q').dispatch(messages(1)),
    ).rejects.toBeInstanceOf(QueueUnavailable);
  });

  it('without a configured queue, refuses as QueueUnavailable', async () => {
    await expect(unconfiguredQueue.dispatch(messages(1))).rejects.toThrow(
      'GUIDES_REGENERATION_QUEUE_URL is not configured',
    );
    await expect(unconfiguredQueue.dispatch(messages(1))).rejects.toBeInstanceOf(QueueUnavailable);
  });
});
