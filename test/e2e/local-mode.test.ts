// `npm start` as a newcomer runs it: the service comes up, the printed key and URL work, the link
// downloads the guide, editing data/ rebuilds it, a bad edit keeps the last good guide, Ctrl-C stops it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.ts';
import { removeTemporaryDirectories, temporaryDirectory } from '../support/temp.ts';
import { until } from '../support/until.ts';

let child: ChildProcess;
let stdout = '';
let stderr = '';
let api = '';
let key = '';
const dataDir = temporaryDirectory('guides-e2e-data-');
const stateDir = temporaryDirectory('guides-e2e-state-');

const waitFor = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined) =>
  until(what, probe, { context: () => `\nstdout:\n${stdout}\nstderr:\n${stderr}` });

function pdfText(pdf: Buffer): string {
  const file = join(stateDir, 'check.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

async function compounds(): Promise<
  { id: string; guide: { sha256: string; bytes: number; current: boolean } | null }[]
> {
  const response = await fetch(`${api}/v1/compounds`, { headers: { authorization: `Bearer ${key}` } });
  return ((await response.json()) as { compounds: Awaited<ReturnType<typeof compounds>> }).compounds;
}

beforeAll(async () => {
  for (const id of ['levomilnacipran', 'duloxetine'])
    cpSync(join(repoRoot, 'data', `${id}.json`), join(dataDir, `${id}.json`));
  child = spawn('npm', ['start', '--silent'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      GUIDES_S3_PORT: '0',
      GUIDES_DATA_DIR: dataDir,
      GUIDES_STATE_DIR: stateDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  api = await waitFor('the API URL', () => /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1]);
  key = await waitFor('the dev key', () => /dev API key\s+(\S+)/.exec(stdout)?.[1]);
}, 60_000);

afterAll(() => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone: the Ctrl-C test stopped it.
  }
  removeTemporaryDirectories();
});

describe('npm start', () => {
  it('prints a curl example that works and a link that downloads the guide', async () => {
    const curl = /Try:\s+(curl .*)$/m.exec(stdout)?.[1];
    expect(curl).toContain(`${api}/v1/guides/levomilnacipran`);
    const body = execFileSync('sh', ['-c', curl!], { encoding: 'utf8' });
    const answer = JSON.parse(body);
    expect(answer.compoundId).toBe('levomilnacipran');
    const pdf = Buffer.from(await (await fetch(answer.url)).arrayBuffer());
    expect(pdf.length).toBe(answer.bytes);
    expect(pdfText(pdf)).toContain('Levomilnacipran');
    // A tagged PDF carrying its dataset, as the service always renders it.
    const file = join(stateDir, 'served.pdf');
    writeFileSync(file, pdf);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/^Tagged:\s+yes$/m);
    expect(execFileSync('pdfinfo', ['-struct', file], { encoding: 'utf8' })).toMatch(/^Document\n {2}Sect/);
    expect(execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' })).toContain(
      '1: levomilnacipran.json',
    );
  });

  it('rebuilds a guide when its dataset is edited, and keeps the last good one on a bad edit', async () => {
    const file = join(dataDir, 'duloxetine.json');
    const before = await waitFor(
      'the duloxetine guide',
      async () => (await compounds()).find((c) => c.id === 'duloxetine' && c.guide?.current)?.guide,
    );

    const edited = readFileSync(file, 'utf8').replace('"value": 0.8,', '"value": 0.83,');
    writeFileSync(file, edited);
    const after = await waitFor('a rebuilt guide', async () => {
      const guide = (await compounds()).find((c) => c.id === 'duloxetine')?.guide;
      return guide && guide.sha256 !== before?.sha256 && guide.current ? guide : undefined;
    });
    const redirect = await fetch(`${api}/v1/guides/duloxetine`, {
      headers: { authorization: `Bearer ${key}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const pdf = Buffer.from(await (await fetch(redirect.headers.get('location')!)).arrayBuffer());
    expect(pdf.length).toBe(after.bytes);
    expect(pdfText(pdf)).toContain('0.83 nM');

    writeFileSync(file, edited.replace('"unit": "nM"', '"unit": "nm"'));
    await waitFor('the invalid edit to be reported', () =>
      stderr.includes('targets[0].measurements[0].unit: unknown unit "nm"') ? true : undefined,
    );
    const kept = (await compounds()).find((c) => c.id === 'duloxetine')?.guide;
    expect(kept?.sha256).toBe(after.sha256);
    expect(kept?.current).toBe(true);

    // A structure that contradicts its stated formula is kept out the same way.
    writeFileSync(file, edited.replace('"formula": "C18H19NOS"', '"formula": "C18H21NOS"'));
    await waitFor('the contradicting formula to be reported', () =>
      stderr.includes('compound.formula: "C18H21NOS" contradicts the SMILES, whose formula is C18H19NOS')
        ? true
        : undefined,
    );
    expect((await compounds()).find((c) => c.id === 'duloxetine')?.guide?.sha256).toBe(after.sha256);
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 8_000))]);
    expect(code).not.toBe('hung');
    expect(stderr).toContain('shutting down');
  });
});
