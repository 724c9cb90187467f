// Local mode against what a user's machine can do to it: a FIFO, a device and links out of data/ while it starts and
// runs, and a kill -9 in the middle of a batch. After the restart the catalogue answers, every guide downloads, the
// interrupted job ends with every item accounted for, and Ctrl-C stops it with one signal.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.ts';
import { removeTemporaryDirectories, temporaryDirectory } from '../support/temp.ts';
import { until } from '../support/until.ts';

const dataDir = temporaryDirectory('guides-crash-data-');
const stateDir = temporaryDirectory('guides-crash-state-');
const outside = temporaryDirectory('guides-crash-outside-');
const KEY = 'crash-test-dev-key-0123456789';
const COMPOUNDS = 24;

interface Running {
  child: ChildProcess;
  api: string;
  output: () => string;
}

const started: ChildProcess[] = [];

const waitFor = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined) =>
  until(what, probe, { ms: 60_000, every: 50 });

async function start(): Promise<Running> {
  let output = '';
  const child = spawn(process.execPath, [join(repoRoot, 'dist/cli.js'), 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      GUIDES_S3_PORT: '0',
      GUIDES_DATA_DIR: dataDir,
      GUIDES_STATE_DIR: stateDir,
      GUIDES_DEV_API_KEY: KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  child.stdout!.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const api = await waitFor(
    `the API to open\n${output}`,
    () => /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1],
  );
  return { child, api, output: () => output };
}

function get(api: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api}${path}`, { ...init, headers: { authorization: `Bearer ${KEY}`, ...init.headers } });
}

interface JobStatus {
  total: number;
  succeeded: number;
  skipped: number;
  failed: number;
  pending: number;
  errors: unknown[];
}

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  removeTemporaryDirectories();
});

describe('local mode after kill -9 mid-batch, with a FIFO and escaping links in data/', () => {
  it('keeps serving, loses no guide and no job item, and stops on one Ctrl-C', async () => {
    const levo = JSON.parse(readFileSync(join(repoRoot, 'data/levomilnacipran.json'), 'utf8'));
    const ids = Array.from({ length: COMPOUNDS }, (_, i) => `compound-${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) {
      const dataset = structuredClone(levo);
      dataset.compound.id = id;
      dataset.compound.name = `Compound ${i}`;
      writeFileSync(join(dataDir, `${id}.json`), JSON.stringify(dataset));
    }
    writeFileSync(join(outside, 'secret.json'), 'root:x:0:0:root:/root:/bin/bash\n');
    execFileSync('mkfifo', [join(dataDir, 'fifo.json')]);
    symlinkSync(join(outside, 'secret.json'), join(dataDir, 'escape.json'));
    symlinkSync('/dev/zero', join(dataDir, 'zero.json'));

    // 1. The service opens with them present, names each once, never quotes the secret.
    const first = await start();
    const listed = await get(first.api, '/v1/compounds');
    expect(listed.status).toBe(200);
    const log = first.output();
    expect(log).toContain(`${join(dataDir, 'fifo.json')}: is a FIFO, not a regular file; skipped`);
    expect(log).toContain(
      `${join(dataDir, 'escape.json')}: is a link to a file outside the data folder; skipped`,
    );
    expect(log).not.toContain('root:');

    // 2. A forced batch of every compound, killed with SIGKILL once some items are done and others are not.
    const job = (await (
      await get(first.api, '/v1/regenerations', { method: 'POST', body: '{"all":true,"force":true}' })
    ).json()) as { id: string; queued: number };
    expect(job.queued).toBe(COMPOUNDS);
    const midway = await waitFor('the batch to be part done', async () => {
      const status = (await (await get(first.api, `/v1/regenerations/${job.id}`)).json()) as JobStatus;
      return status.succeeded >= 2 ? status : undefined;
    });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // Killed mid-batch, not after it: otherwise this test proves nothing.
    expect(midway.pending).toBeGreaterThan(0);

    // 3. Restart on the same state: the catalogue answers, the job ends with each item accounted for.
    const second = await start();
    const catalogue = await get(second.api, '/v1/compounds');
    expect(catalogue.status).toBe(200);
    const ended = await waitFor('the interrupted job to end', async () => {
      const status = (await (await get(second.api, `/v1/regenerations/${job.id}`)).json()) as JobStatus;
      return status.pending === 0 ? status : undefined;
    });
    expect(ended).toMatchObject({ total: COMPOUNDS, failed: 0, errors: [] });
    expect(ended.succeeded + ended.skipped).toBe(COMPOUNDS);
    expect(second.output()).toMatch(/unfinished job items resumed items=\d+/);

    // 4. Every guide downloads through its signed link, whole, the bytes the catalogue announces.
    const compounds = (
      (await (await get(second.api, '/v1/compounds')).json()) as {
        compounds: { id: string; guide: { sha256: string; bytes: number; current: boolean } | null }[];
      }
    ).compounds;
    expect(compounds.map((c) => c.id).sort()).toEqual(ids);
    for (const compound of compounds) {
      expect(compound.guide?.current, compound.id).toBe(true);
      const redirect = await get(second.api, `/v1/guides/${compound.id}`, { redirect: 'manual' });
      expect(redirect.status, compound.id).toBe(302);
      const download = await fetch(redirect.headers.get('location')!);
      expect(download.status, compound.id).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await download.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(createHash('sha256').update(pdf).digest('hex')).toBe(compound.guide!.sha256);
    }

    // 5. One Ctrl-C stops it, FIFO or not.
    const exited = new Promise<number | null>((resolve) =>
      second.child.once('exit', (code) => resolve(code)),
    );
    second.child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 8_000))]);
    expect(code).toBe(0);
  }, 240_000);
});
