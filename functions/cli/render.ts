// `guides render <dataset.json|id> [-o out.pdf] [--png dir] [--brand name] [--attach|--no-attach]` — one guide to a
// file, optionally page PNGs. The dataset is embedded in the PDF unless --no-attach.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadSettings } from '../config.ts';
import { DatasetInvalid, formatIssueLine } from '../guide/dataset.ts';
import { readDatasetFile } from '../guide/dataset-files.ts';
import { UnknownBrand } from '../guide/errors.ts';
import { loadMethodCatalogue } from '../guide/methods.ts';
import { templatesDir } from '../paths.ts';
import type { GuideRenderer } from '../guide/render.ts';
import { CliUsageError, type Command, parseCommandArgs } from './command.ts';

/** A bare id (`levomilnacipran`) names <GUIDES_DATA_DIR>/<id>.json; anything with a slash or `.json` is a path. */
function datasetPath(arg: string): string {
  return /^[a-z0-9-]+$/.test(arg) ? join(loadSettings().dataDir, `${arg}.json`) : arg;
}

/** Supplies the renderer for a templates folder: created on demand, or the startup snapshot's, warm. */
export type RendererSource = (templatesDir: string) => Promise<GuideRenderer>;

const freshRenderer: RendererSource = async (templatesDir) =>
  (await import('../guide/render.ts')).createRenderer({ templatesDir });

export function renderCommandWith(rendererFor: RendererSource): Command {
  return { run: (args) => render(args, rendererFor) };
}

export const renderCommand: Command = renderCommandWith(freshRenderer);

async function render(args: string[], rendererFor: RendererSource): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    png: { type: 'string' },
    brand: { type: 'string' },
    attach: { type: 'boolean' },
    'no-attach': { type: 'boolean' },
  });
  if (values.attach && values['no-attach'])
    throw new CliUsageError('--attach and --no-attach contradict each other');
  if (positionals.length !== 1) throw new CliUsageError('name exactly one dataset file or compound id');
  const file = datasetPath(positionals[0]!);

  const started = performance.now();
  const dir = templatesDir(loadSettings().templatesDir);
  let dataset: Awaited<ReturnType<typeof readDatasetFile>>['dataset'];
  try {
    const parsed = await readDatasetFile(file, loadMethodCatalogue(dir));
    for (const issue of parsed.warnings) process.stderr.write(`warning: ${formatIssueLine(file, issue)}\n`);
    dataset = parsed.dataset;
  } catch (error) {
    if (!(error instanceof DatasetInvalid)) throw error;
    for (const issue of error.issues) process.stderr.write(`${formatIssueLine(error.file, issue)}\n`);
    return 1;
  }

  const renderer = await rendererFor(dir);
  let rendered: Awaited<ReturnType<typeof renderer.render>>;
  try {
    rendered = await renderer.render(dataset, {
      ...(values.brand === undefined ? {} : { brand: values.brand }),
      attach: !values['no-attach'],
    });
  } catch (error) {
    if (error instanceof UnknownBrand) throw new CliUsageError(error.message);
    throw error;
  }
  const out = values.output ?? `${dataset.compound.id}.pdf`;
  await writeFile(out, rendered.pdf);
  const ms = Math.round(performance.now() - started);

  if (values.png !== undefined) {
    await mkdir(values.png, { recursive: true });
    const prefix = join(values.png, basename(out, '.pdf'));
    try {
      // Loaded here, not at the top: this module is part of the renderer's startup snapshot, which should not
      // hold child_process state (and cannot use dynamic import()).
      const { execFile } = process.getBuiltinModule('node:child_process');
      const { promisify } = process.getBuiltinModule('node:util');
      await promisify(execFile)('pdftoppm', ['-png', '-r', '100', out, prefix]);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(missing ? 'pdftoppm not found: install poppler-utils for --png' : String(error));
    }
    process.stdout.write(`pngs: ${prefix}-*.png\n`);
  }
  process.stdout.write(`${out}: ${rendered.pages} pages, ${rendered.pdf.length} bytes, ${ms} ms\n`);
  return 0;
}
