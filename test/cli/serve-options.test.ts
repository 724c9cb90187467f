// `guides serve` runs under the same heap limits however it is started: `npm start` passes them, and bin/guides.js
// (what `npx guides serve` runs) starts the server with them when they were not given.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingEnv, missingNodeOptions, SERVE_ENV, SERVE_NODE_OPTIONS } from '../../bin/serve-options.js';
import { repoRoot } from '../support/cli.ts';
import { removeTemporaryDirectories, temporaryDirectory } from '../support/temp.ts';
import { until } from '../support/until.ts';

afterAll(removeTemporaryDirectories);

/** The command line of a running process, as Linux lists it. */
function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** The process serving: this one (Node 22.15+ replaces itself) or its only child (older Node runs one). */
function serverOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return children.length === 1 ? Number(children[0]) : pid;
}

describe('guides serve node options', () => {
  it('are the ones npm start passes', () => {
    const start = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.start as string;
    const env = Object.entries(SERVE_ENV).map(([name, value]) => `${name}=${value}`);
    expect(start).toContain(`${env.join(' ')} node ${SERVE_NODE_OPTIONS.join(' ')} dist/cli.js serve`);
  });

  it('set the variables of the environment the user did not set', () => {
    expect(missingEnv({ MALLOC_ARENA_MAX: '1' }, {})).toEqual({ MALLOC_ARENA_MAX: '1' });
    expect(missingEnv({ MALLOC_ARENA_MAX: '1' }, { MALLOC_ARENA_MAX: '4' })).toEqual({});
  });

  it('are missing by name, whether given on the command line or in NODE_OPTIONS, with any value', () => {
    const wanted = ['--max-old-space-size=128', '--max-semi-space-size=2'];
    expect(missingNodeOptions(wanted, [])).toEqual(wanted);
    expect(missingNodeOptions(wanted, ['--max-old-space-size=512'])).toEqual(['--max-semi-space-size=2']);
    expect(missingNodeOptions(wanted, [], '--max_semi_space_size=8 --inspect')).toEqual([
      '--max-old-space-size=128',
    ]);
    expect(missingNodeOptions(wanted, ['--max-semi-space-size=1'], '--max-old-space-size=64')).toEqual([]);
  });

  it('are given to the server `guides serve` starts, which stops on SIGTERM', async () => {
    const stateDir = temporaryDirectory('guides-serve-options-');
    const child = spawn(process.execPath, [join(repoRoot, 'bin/guides.js'), 'serve'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: '0',
        GUIDES_S3_PORT: '0',
        GUIDES_STATE_DIR: stateDir,
        // No datasets: nothing to render, the server starts and stops quickly.
        GUIDES_DATA_DIR: temporaryDirectory('guides-serve-options-data-'),
        GUIDES_DEV_API_KEY: 'serve-options-key-0123456789',
        GUIDES_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const api = await until(
        'the API to open',
        () => /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1],
        {
          ms: 60_000,
          every: 50,
        },
      );
      const server = serverOf(child.pid!);
      const options = commandLine(server).slice(1, 1 + SERVE_NODE_OPTIONS.length);
      expect(options).toEqual([...SERVE_NODE_OPTIONS]);
      // And the environment: glibc read it as the server started.
      const environment = readFileSync(`/proc/${server}/environ`, 'utf8').split('\0');
      for (const [name, value] of Object.entries(SERVE_ENV))
        expect(environment).toContain(`${name}=${value}`);
      const answer = await fetch(`${api}/v1/compounds`, {
        headers: { authorization: 'Bearer serve-options-key-0123456789' },
      });
      expect(answer.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
