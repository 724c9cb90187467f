// `batch` (SPEC §8): 1,000 synthetic datasets, uploaded first (timed apart), then regenerated: each read back,
// validated, rendered on every core and written to the local S3 server (its own process, as S3 would be);
// then an unchanged re-run by a fresh service that must skip them all.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { structureAnswers } from '../functions/chemistry/structure.ts';
import { loadSettings } from '../functions/config.ts';
import { loadMethodCatalogue } from '../functions/guide/methods.ts';
import { RenderPool } from '../functions/local/render-pool.ts';
import { renderWorkerScript, templatesDir } from '../functions/paths.ts';
import { mapLimited } from '../functions/map-limited.ts';
import { wire } from '../functions/wiring.ts';
import { createS3Client } from '../functions/storage/s3.ts';
import { syntheticDataset } from './datasets.ts';
import { CREDENTIALS, startS3Process } from './s3-process.ts';

const COUNT = Number(process.env.BENCH_BATCH_COUNT ?? 1000);

/** CPU seconds used so far by a process (Linux /proc; clock ticks are 100 per second there). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function run() {
  const directory = mkdtempSync(join(tmpdir(), 'guides-bench-batch-'));
  const { child, endpoint } = await startS3Process(directory);
  const templates = templatesDir();
  const methods = loadMethodCatalogue(templates);
  const settings = loadSettings({
    GUIDES_DATASETS_BUCKET: 'bench-datasets',
    GUIDES_GUIDES_BUCKET: 'bench-guides',
  });
  const client = createS3Client({
    region: 'us-east-1',
    endpoint,
    credentials: CREDENTIALS,
    forcePathStyle: true,
  });
  const pool = await RenderPool.start({
    workerScript: renderWorkerScript(),
    templatesDir: templates,
    // As in local mode: RDKit runs in this thread (which validates), the render threads ask it.
    structures: structureAnswers,
    size: availableParallelism(),
  }).catch((error: unknown) => {
    child.kill();
    client.destroy();
    rmSync(directory, { recursive: true, force: true });
    throw error;
  });
  const newWiring = () =>
    wire(settings, {
      s3: client,
      render: (dataset) => pool.render(dataset),
      assetsDigest: pool.assetsDigest,
      methods,
      dispatcher: { dispatch: async () => {} },
    });
  const files = Array.from({ length: COUNT }, (_, i) => syntheticDataset(i));
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

  try {
    const first = newWiring();
    // Setup, timed apart: curators' datasets arrive in the datasets bucket.
    const uploadStarted = performance.now();
    await mapLimited(files, 8, async (bytes) => {
      const id = (JSON.parse(bytes.toString()) as { compound: { id: string } }).compound.id;
      await first.datasets.put(id, bytes);
    });
    const upload = (performance.now() - uploadStarted) / 1000;

    const cpuBefore = process.cpuUsage();
    const s3CpuBefore = cpuSeconds(child.pid!);
    // The batch: list, then per compound read and validate the dataset, render on the pool, write PDF and pointer.
    const started = performance.now();
    let rendered = 0;
    await mapLimited(await first.guides.batchPlan(), pool.size * 3, async ({ id, ...known }) => {
      if ((await first.guides.regenerate(id, known)) === 'rendered') rendered++;
      if (rendered % 100 === 0) process.stderr.write(`batch: ${rendered}/${COUNT}\n`);
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const s3Cpu = cpuSeconds(child.pid!) - s3CpuBefore;
    if (rendered !== COUNT) throw new Error(`rendered ${rendered} of ${COUNT}`);

    // A fresh service (nothing cached in memory), as after a restart or on another Lambda.
    const second = newWiring();
    const rerunStarted = performance.now();
    const outcomes = await mapLimited(await second.guides.batchPlan(), 32, ({ id, ...known }) =>
      second.guides.regenerate(id, known),
    );
    const rerun = (performance.now() - rerunStarted) / 1000;
    const skipped = outcomes.filter((o) => o === 'skipped').length;
    if (skipped !== COUNT) throw new Error(`re-run skipped ${skipped} of ${COUNT}`);

    return [
      {
        name: 'batch',
        guides: COUNT,
        guides_per_s: Math.round((COUNT / seconds) * 10) / 10,
        rerun_s: Math.round(rerun * 100) / 100,
        upload_s: Math.round(upload * 100) / 100,
        // Where the 2 cores went during the batch: this process (all threads) and the S3 server process.
        cpu_s: Math.round((cpu.user + cpu.system) / 1e5) / 10,
        s3_cpu_s: Math.round(s3Cpu * 10) / 10,
        peak_rss_mb: Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
        threads: pool.size,
      },
    ];
  } finally {
    clearInterval(sample);
    await pool.close();
    client.destroy();
    child.kill();
    rmSync(directory, { recursive: true, force: true });
  }
}
