// `npm run soak`: 60 s of cached GET /v1/guides/{id} and POST /v1/guides/{id} against `guides serve`, sampling
// the server's resident memory every 5 s; prints one JSON line and exits non-zero on any error or growth.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { startServer } from './api.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const KEY = 'bench-api-key-0123456789abcdef';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

const server = await startServer();
try {
  const headers = { authorization: `Bearer ${KEY}` };
  const warm = await fetch(`${server.api}/v1/guides/levomilnacipran`, { headers, redirect: 'manual' });
  if (warm.status !== 302) throw new Error(`warm-up answered ${warm.status}`);
  const pid = server.child.pid!;
  const samples: number[] = [rssMb(pid)];
  const sampler = setInterval(() => {
    samples.push(rssMb(pid));
    process.stderr.write(`soak: ${samples.length * 5 - 5} s, rss ${samples.at(-1)} MB\n`);
  }, 5_000);
  const result = await autocannon({
    url: server.api,
    connections: 8,
    duration: SECONDS,
    requests: [
      { method: 'GET', path: '/v1/guides/levomilnacipran', headers },
      { method: 'POST', path: '/v1/guides/duloxetine', headers },
      { method: 'GET', path: '/v1/compounds', headers },
    ],
  });
  clearInterval(sampler);
  samples.push(rssMb(pid));
  const ok =
    (result.statusCodeStats?.['302']?.count ?? 0) +
    (result.statusCodeStats?.['200']?.count ?? 0) +
    (result.statusCodeStats?.['201']?.count ?? 0);
  // "Flat": the last third of the run holds no more than 10% above its first third.
  const third = Math.max(1, Math.floor(samples.length / 3));
  const early = Math.max(...samples.slice(0, third));
  const late = Math.max(...samples.slice(-third));
  const summary = {
    name: 'soak',
    seconds: SECONDS,
    requests: result.requests.total,
    requests_per_s: Math.round(result.requests.average),
    errors: result.errors + result.requests.total - ok,
    rss_mb: samples,
    flat: late <= early * 1.1,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = summary.errors === 0 && summary.flat ? 0 : 1;
} finally {
  await server.stop();
}
