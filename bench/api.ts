// `api.cached` (SPEC §8): GET /v1/guides/{id} for a current guide under concurrent load, against `guides serve`
// running as its own process (as `npm start` runs it); autocannon drives the load from this process.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SERVE_ENV, SERVE_NODE_OPTIONS } from '../bin/serve-options.js';

const KEY = 'bench-api-key-0123456789abcdef';
const DURATION_S = Number(process.env.BENCH_API_SECONDS ?? 10);
const CONNECTIONS = 16;

export interface ServerProcess {
  child: ChildProcess;
  api: string;
  stop(): Promise<void>;
}

/** Starts `node dist/cli.js serve` on free ports with a fresh state folder; resolves once the API answers. */
export async function startServer(): Promise<ServerProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), 'guides-bench-api-'));
  const cli = new URL('../cli.js', import.meta.url).pathname;
  // As `npm start` runs it, with the heap limits and environment of bin/serve-options.js, in one process (its pid is
  // the server's).
  const child = spawn(process.execPath, [...SERVE_NODE_OPTIONS, cli, 'serve'], {
    env: {
      ...process.env,
      ...SERVE_ENV,
      PORT: '0',
      GUIDES_S3_PORT: '0',
      GUIDES_STATE_DIR: stateDir,
      GUIDES_DEV_API_KEY: KEY,
      GUIDES_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  const api = await new Promise<string>((resolve, reject) => {
    const fail = (error: Error) => {
      clearInterval(timer);
      clearTimeout(deadline);
      child.kill('SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
      reject(error);
    };
    const timer = setInterval(() => {
      const match = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) {
        clearInterval(timer);
        clearTimeout(deadline);
        resolve(match[1]!);
      }
    }, 50);
    const deadline = setTimeout(() => fail(new Error('serve did not start within 60 s')), 60_000);
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
  return {
    child,
    api,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Peak resident set size of a process (Linux VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

export async function run() {
  const server = await startServer();
  try {
    const url = `${server.api}/v1/guides/levomilnacipran`;
    const headers = { authorization: `Bearer ${KEY}` };
    // Render once, so the load measures the cached path.
    const first = await fetch(url, { headers, redirect: 'manual' });
    if (first.status !== 302) throw new Error(`warm-up answered ${first.status}`);
    process.stderr.write(`api.cached: ${CONNECTIONS} connections for ${DURATION_S} s\n`);
    const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S });
    const redirects = result.statusCodeStats?.['302']?.count ?? 0;
    if (result.errors > 0 || redirects !== result.requests.total) {
      throw new Error(
        `load run had ${result.errors} errors and ${result.requests.total - redirects} non-302 answers`,
      );
    }
    return [
      {
        name: 'api.cached',
        requests_per_s: Math.round(result.requests.average),
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
        requests: result.requests.total,
        errors: result.errors,
        connections: CONNECTIONS,
        peak_rss_mb: peakRssMb(server.child.pid!),
      },
    ];
  } finally {
    await server.stop();
  }
}
