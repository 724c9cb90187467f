// Local mode's render threads (the built dist/render-worker.js): they ask the pool's thread for structures instead of
// starting RDKit each, end when idle, and a thread started again renders the same bytes.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { type StructureSource, structureAnswers } from '../../functions/chemistry/structure.ts';
import { parseDataset } from '../../functions/guide/dataset.ts';
import { RenderFailed } from '../../functions/guide/errors.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { RenderPool } from '../../functions/local/render-pool.ts';
import { renderWorkerScript, templatesDir } from '../../functions/paths.ts';
import { readPdf } from '../guide/pdf-text.ts';

const methods = loadMethodCatalogue(templatesDir());

async function sample(id: string) {
  return (await parseDataset(readFileSync(`data/${id}.json`), { file: id, methods })).dataset;
}

/** structureAnswers (this thread's caches and RDKit), recording what the render threads asked. */
function recording(asked: string[], source: StructureSource = structureAnswers): StructureSource {
  return {
    read: (smiles) => {
      asked.push(`read ${smiles}`);
      return source.read(smiles);
    },
    draw: (smiles, options) => {
      asked.push(`draw ${smiles}`);
      return source.draw(smiles, options);
    },
  };
}

describe('render threads in local mode', () => {
  it('fail a render as retryable, and name the structure, when the pool thread does not answer about it', async () => {
    const dataset = await sample('levomilnacipran');
    const never = () => new Promise<never>(() => {});
    const pool = await RenderPool.start({
      workerScript: renderWorkerScript(),
      templatesDir: templatesDir(),
      structures: { read: never, draw: never },
      size: 1,
      structureTimeoutMs: 300,
    });
    try {
      const error = await pool.render(dataset).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RenderFailed);
      expect(error).toMatchObject({ retryable: true });
      expect((error as Error).message).toBe(
        `no answer about the structure (read ${dataset.compound.smiles}) within 0.3 s`,
      );
    } finally {
      await pool.close();
    }
  });

  it('ask for the structure rather than start RDKit, end when idle, and render the same bytes when started again', async () => {
    const dataset = await sample('levomilnacipran');
    const smiles = dataset.compound.smiles!;
    const asked: string[] = [];
    const pool = await RenderPool.start({
      workerScript: renderWorkerScript(),
      templatesDir: templatesDir(),
      structures: recording(asked),
      size: 1,
      idleMs: 200,
    });
    try {
      const first = await pool.render(dataset);
      expect(asked).toEqual([`read ${smiles}`, `draw ${smiles}`]);
      const reading = await structureAnswers.read(smiles);
      if ('problem' in reading) throw new Error(reading.problem.reason);
      const text = (await readPdf(first.pdf)).text;
      expect(text).toContain(reading.structure.inchiKey!);
      expect(text).toContain('246.35');

      await vi.waitFor(() => expect(pool.threads).toBe(0), { timeout: 5_000 });
      const second = await pool.render(dataset);
      expect(pool.threads).toBe(1);
      // A new thread knows nothing yet: it asks again, and the guide is byte for byte the same.
      expect(asked).toHaveLength(4);
      expect(second.pages).toBe(first.pages);
      expect(Buffer.compare(second.pdf, first.pdf)).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('fail the render with the reason when the structure cannot be had', async () => {
    const dataset = await sample('duloxetine');
    const pool = await RenderPool.start({
      workerScript: renderWorkerScript(),
      templatesDir: templatesDir(),
      structures: {
        read: structureAnswers.read,
        draw: async () => {
          throw new Error('structure toolkit (RDKit) unavailable: no .wasm in this test');
        },
      },
      size: 1,
    });
    try {
      const failure = pool.render(dataset);
      await expect(failure).rejects.toBeInstanceOf(RenderFailed);
      await expect(failure).rejects.toThrow('structure toolkit (RDKit) unavailable: no .wasm in this test');
    } finally {
      await pool.close();
    }
  });
});
