// The render-thread pool survives a thread that dies: that render fails, the others go on, the pool refills.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../../functions/guide/dataset.ts';
import { RenderFailed } from '../../functions/guide/errors.ts';
import { RENDER_THREAD_HEAP, RenderPool } from '../../functions/local/render-pool.ts';

const workerScript = fileURLToPath(new URL('../support/flaky-render-worker.mjs', import.meta.url));
const dataset = (id: string) => ({ compound: { id } }) as unknown as Dataset;

describe('RenderPool', () => {
  it('fails only the render whose thread died, and replaces the thread', async () => {
    const pool = await RenderPool.start({ workerScript, templatesDir: 'x', size: 2 });
    try {
      const [crashed, fine] = await Promise.allSettled([
        pool.render(dataset('crash')),
        pool.render(dataset('ok')),
      ]);
      expect(crashed.status).toBe('rejected');
      expect((crashed as PromiseRejectedResult).reason).toBeInstanceOf(RenderFailed);
      expect(fine).toMatchObject({ status: 'fulfilled', value: { pages: 1 } });
      const after = await Promise.all(['a', 'b', 'c'].map((id) => pool.render(dataset(id))));
      expect(after.map((r) => r.pdf.toString())).toEqual(['%PDF-a', '%PDF-b', '%PDF-c']);
      await vi.waitFor(() => expect(pool.threads).toBe(2));
    } finally {
      await pool.close();
    }
  });

  it('ends a thread idle for idleMs and starts one for the next render', async () => {
    const pool = await RenderPool.start({ workerScript, templatesDir: 'x', size: 2, idleMs: 100 });
    try {
      expect(pool.threads).toBe(2);
      await vi.waitFor(() => expect(pool.threads).toBe(0), { timeout: 5_000 });
      const after = await Promise.all(['a', 'b', 'c'].map((id) => pool.render(dataset(id))));
      expect(after.map((r) => r.pdf.toString())).toEqual(['%PDF-a', '%PDF-b', '%PDF-c']);
      // Started on demand, never more than the pool's size.
      expect(pool.threads).toBeGreaterThanOrEqual(1);
      expect(pool.threads).toBeLessThanOrEqual(2);
      expect(pool.size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('does not render with a thread started after the templates changed on disk, and says so', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'guides-pool-')), 'digest');
    writeFileSync(file, 'before');
    const pool = await RenderPool.start({
      workerScript,
      templatesDir: `digest:${file}`,
      size: 1,
      idleMs: 100,
    });
    try {
      expect((await pool.render(dataset('a'))).pdf.toString()).toBe('%PDF-a');
      writeFileSync(file, 'after');
      await vi.waitFor(() => expect(pool.threads).toBe(0), { timeout: 5_000 });
      const refused = pool.render(dataset('b'));
      await expect(refused).rejects.toBeInstanceOf(RenderFailed);
      await expect(refused).rejects.toThrow(/templates changed since the service started/);
      expect(pool.threads).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('ends spare threads after spareIdleMs and keeps the last one for idleMs', async () => {
    const pool = await RenderPool.start({
      workerScript,
      templatesDir: 'x',
      size: 2,
      idleMs: 60_000,
      spareIdleMs: 100,
    });
    try {
      await Promise.all(['a', 'b'].map((id) => pool.render(dataset(id))));
      await vi.waitFor(() => expect(pool.threads).toBe(1), { timeout: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pool.threads).toBe(1);
      expect((await pool.render(dataset('c'))).pdf.toString()).toBe('%PDF-c');
    } finally {
      await pool.close();
    }
  });

  it('keeps idle threads when no idle period is given', async () => {
    const pool = await RenderPool.start({ workerScript, templatesDir: 'x', size: 2 });
    try {
      await pool.render(dataset('a'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pool.threads).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('fails a render in progress when it closes', async () => {
    const pool = await RenderPool.start({ workerScript, templatesDir: 'x', size: 1, idleMs: 60_000 });
    const slow = expect(pool.render(dataset('slow'))).rejects.toThrow('render pool is closed');
    const queued = expect(pool.render(dataset('a'))).rejects.toThrow('render pool is closed');
    await pool.close();
    await slow;
    await queued;
    expect(pool.threads).toBe(0);
  });

  it('ends a thread that never reports ready, and says so, rather than keep renders waiting', async () => {
    const started = RenderPool.start({
      workerScript,
      templatesDir: 'never-ready',
      size: 1,
      startTimeoutMs: 300,
    });
    await expect(started).rejects.toThrow('render thread did not become ready within 0.3 s');
    // Retryable: the HTTP layer answers 503 with Retry-After, not a client error.
    await expect(started).rejects.toMatchObject({ name: 'RenderFailed', retryable: true });
  });

  it('reports a thread that cannot start instead of hanging', async () => {
    await expect(
      RenderPool.start({ workerScript, templatesDir: 'fail-to-start', size: 1 }),
    ).rejects.toThrow();
  });
});

describe('render.warm', () => {
  it('is measured under the heap limits of the render threads', () => {
    const run = readFileSync(new URL('../../bench/run.mjs', import.meta.url), 'utf8');
    const flags = /const RENDER_HEAP_FLAGS = (\[[^\]]*\]);/.exec(run)?.[1];
    expect(flags && JSON.parse(flags.replaceAll("'", '"'))).toEqual([
      `--max-old-space-size=${RENDER_THREAD_HEAP.maxOldGenerationSizeMb}`,
      `--max-semi-space-size=${Math.floor(RENDER_THREAD_HEAP.maxYoungGenerationSizeMb / 3)}`,
    ]);
  });
});
