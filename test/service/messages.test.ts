// Reading queue messages: S3 notifications (URL-encoded keys, `+` for spaces, deletes, test events, IPv6 uploaders),
// regeneration messages, and anything else as a MalformedMessage.
import { describe, expect, it } from 'vitest';
import { MalformedMessage } from '../../functions/service/errors.ts';
import {
  datasetChangeOf,
  decodeS3Key,
  parseQueueMessage,
  parseS3Notification,
} from '../../functions/service/messages.ts';
import { s3Notification, s3Record, s3TestEvent } from '../../functions/aws/lambda-events.ts';

describe('S3 notification records', () => {
  it('decodes keys the way S3 encodes them', () => {
    expect(decodeS3Key('datasets/a+b%2Bc.json')).toBe('datasets/a b+c.json');
    expect(decodeS3Key('datasets/caf%C3%A9.json')).toBe('datasets/café.json');
  });

  it('maps created and removed dataset keys to changes, and ignores other keys', () => {
    expect(datasetChangeOf(s3Record('ObjectCreated:Put', 'datasets/levomilnacipran.json'))).toEqual({
      kind: 'changed',
      compoundId: 'levomilnacipran',
    });
    expect(datasetChangeOf(s3Record('ObjectCreated:CompleteMultipartUpload', 'datasets/x-1.json'))).toEqual({
      kind: 'changed',
      compoundId: 'x-1',
    });
    expect(datasetChangeOf(s3Record('ObjectRemoved:Delete', 'datasets/levomilnacipran.json'))).toEqual({
      kind: 'deleted',
      compoundId: 'levomilnacipran',
    });
    expect(
      datasetChangeOf(s3Record('ObjectRemoved:DeleteMarkerCreated', 'datasets/duloxetine.json'))?.kind,
    ).toBe('deleted');
    for (const key of [
      'datasets/read+me.json',
      'datasets/UPPER.json',
      'guides/x/current.json',
      'datasets/a%2F..%2Fb.json',
      'datasets/x.json.bak',
    ]) {
      expect(datasetChangeOf(s3Record('ObjectCreated:Put', key))).toBeNull();
    }
    expect(datasetChangeOf(s3Record('ObjectRestore:Completed', 'datasets/x.json'))).toBeNull();
  });

  it('refuses keys that are not URL encoding', () => {
    expect(() => datasetChangeOf(s3Record('ObjectCreated:Put', 'datasets/%E0%A4%A.json'))).toThrow(
      MalformedMessage,
    );
  });

  it('checks notifications from the local server like the queue does, IPv6 uploaders included', () => {
    expect(
      parseS3Notification(
        s3Notification([['ObjectCreated:Put', 'datasets/a.json']], { sourceIp: '2001:db8::1' }),
      ),
    ).toEqual([{ kind: 'changed', compoundId: 'a' }]);
    expect(() => parseS3Notification({ Records: [{ eventName: 'ObjectCreated:Put' }] })).toThrow(
      MalformedMessage,
    );
    expect(() => parseS3Notification({ Records: [] })).toThrow(MalformedMessage);
  });
});

describe('queue message bodies', () => {
  it('reads notifications, test events and regeneration messages', () => {
    const notification = s3Notification([
      ['ObjectCreated:Put', 'datasets/a.json'],
      ['ObjectRemoved:Delete', 'datasets/b.json'],
      ['ObjectCreated:Put', 'datasets/notes.txt'],
    ]);
    expect(parseQueueMessage(JSON.stringify(notification))).toEqual({
      type: 'dataset',
      changes: [
        { kind: 'changed', compoundId: 'a' },
        { kind: 'deleted', compoundId: 'b' },
      ],
    });
    expect(
      parseQueueMessage(JSON.stringify(s3Notification([['ObjectCreated:Put', 'datasets/notes.txt']]))),
    ).toEqual({ type: 'ignored', reason: 'no dataset keys' });
    expect(parseQueueMessage(JSON.stringify(s3TestEvent()))).toEqual({
      type: 'ignored',
      reason: 's3:TestEvent',
    });
    expect(
      parseQueueMessage(JSON.stringify({ compoundId: 'a', force: true, jobId: 'abcdef123456' })),
    ).toEqual({
      type: 'regeneration',
      message: { compoundId: 'a', force: true, jobId: 'abcdef123456' },
    });
  });

  it('refuses everything else as malformed', () => {
    for (const body of [
      '',
      'nope',
      '42',
      'null',
      '[]',
      '{"compoundId":"../x","force":true}',
      '{"compoundId":"a"}',
      '{"compoundId":"a","force":false,"extra":1}',
      '{"Records":[{}]}',
      '{"Records":[]}',
      '{"Event":"s3:TestEvent"}',
    ]) {
      expect(() => parseQueueMessage(body), body).toThrow(MalformedMessage);
    }
  });
});
