// Reading queue messages: S3 notifications (URL-encoded keys, `+` for spaces, deletes, test events),
// regeneration messages, and anything else as a MalformedEvent.
import { describe, expect, it } from 'vitest';
import { datasetChangeOf, decodeS3Key, MalformedEvent, workItemOf } from '../../functions/service/events.ts';

const record = (eventName: string, key: string) => ({ eventName, s3: { object: { key } } });

describe('S3 notification records', () => {
  it('decodes keys the way S3 encodes them', () => {
    expect(decodeS3Key('datasets/a+b%2Bc.json')).toBe('datasets/a b+c.json');
    expect(decodeS3Key('datasets/caf%C3%A9.json')).toBe('datasets/café.json');
  });

  it('maps created and removed dataset keys to changes, and ignores other keys', () => {
    expect(datasetChangeOf(record('ObjectCreated:Put', 'datasets/levomilnacipran.json'))).toEqual({
      kind: 'changed',
      compoundId: 'levomilnacipran',
    });
    expect(datasetChangeOf(record('ObjectCreated:CompleteMultipartUpload', 'datasets/x-1.json'))).toEqual({
      kind: 'changed',
      compoundId: 'x-1',
    });
    expect(datasetChangeOf(record('ObjectRemoved:Delete', 'datasets/levomilnacipran.json'))).toEqual({
      kind: 'deleted',
      compoundId: 'levomilnacipran',
    });
    expect(
      datasetChangeOf(record('ObjectRemoved:DeleteMarkerCreated', 'datasets/duloxetine.json'))?.kind,
    ).toBe('deleted');
    for (const key of [
      'datasets/read+me.json',
      'datasets/UPPER.json',
      'guides/x/current.json',
      'datasets/a%2F..%2Fb.json',
      'datasets/x.json.bak',
    ]) {
      expect(datasetChangeOf(record('ObjectCreated:Put', key))).toBeNull();
    }
    expect(datasetChangeOf(record('ObjectRestore:Completed', 'datasets/x.json'))).toBeNull();
  });

  it('refuses records without a name or key, and keys that are not URL encoding', () => {
    expect(() => datasetChangeOf({})).toThrow(MalformedEvent);
    expect(() => datasetChangeOf(record('ObjectCreated:Put', 'datasets/%E0%A4%A.json'))).toThrow(
      MalformedEvent,
    );
  });
});

describe('queue message bodies', () => {
  it('reads notifications, test events and regeneration messages', () => {
    const notification = JSON.stringify({
      Records: [
        record('ObjectCreated:Put', 'datasets/a.json'),
        record('ObjectRemoved:Delete', 'datasets/b.json'),
      ],
    });
    expect(workItemOf(notification)).toEqual({
      type: 'dataset',
      changes: [
        { kind: 'changed', compoundId: 'a' },
        { kind: 'deleted', compoundId: 'b' },
      ],
    });
    expect(workItemOf(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual({
      type: 'ignored',
      reason: 's3:TestEvent',
    });
    expect(workItemOf(JSON.stringify({ compoundId: 'a', force: true, jobId: 'abcdef123456' }))).toEqual({
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
      '{"Records":[{}]}',
    ]) {
      expect(() => workItemOf(body), body).toThrow(MalformedEvent);
    }
  });
});
