// `guides render <dataset.json|id> [-o out.pdf] [--png dir] [--brand name] [--no-attach]` — one guide to a file,
// optionally page PNGs. The dataset is embedded in the PDF unless --no-attach.
import { basename, join } from 'node:path';
import type { GuideRenderer } from '../guide/render.ts';
import {
  CliFailure,
  CliUsageError,
  type Command,
  createOutputFolder,
  parseCommandArgs,
  writeOutputFile,
} from './command.ts';

/** Supplies the renderer for a templates folder: created on demand, or the startup snapshot's, warm. */
export type RendererSource = (templatesDir: string) => Promise<GuideRenderer>;

const freshRenderer: RendererSource = async (templatesDir) =>
  (await import('../guide/render.ts')).createRenderer({ templatesDir });

const USAGE = `usage: guides render <dataset.json|id> [-o out.pdf] [--png dir] [--brand name] [--no-attach]

Renders one guide locally and prints its path, pages, bytes and milliseconds. A bare id
(levomilnacipran) names <GUIDES_DATA_DIR>/<id>.json. An invalid dataset is reported as
\`guides validate\` reports it (exit 1) and nothing is written.

options:
  -o, --output <file>   where the PDF goes (default: <id>.pdf); missing folders are created
  --png <dir>           also write one PNG per page there (needs pdftoppm from poppler-utils)
  --brand <name>        a brand under templates/brands/ (default: the one brands/default.json names)
  --no-attach           leave the dataset out of the PDF (by default it is embedded as <id>.json,
                        so the guide carries its own data); --attach says the default explicitly
  -h, --help            show this help
`;

export function renderCommandWith(rendererFor: RendererSource): Command {
  return { usage: USAGE, run: (args) => render(args, rendererFor) };
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

  const started = performance.now();
  const [
    { DatasetInvalid, formatIssueLine },
    { readDatasetFile },
    { loadMethodCatalogue },
    { loadSettings },
    paths,
    { UnknownBrand },
  ] = await Promise.all([
    import('../guide/dataset.ts'),
    import('../guide/dataset-files.ts'),
    import('../guide/methods.ts'),
    import('../config.ts'),
    import('../paths.ts'),
    import('../guide/errors.ts'),
  ]);
  const settings = loadSettings();
  const arg = positionals[0]!;
  // A bare id (`levomilnacipran`) names <GUIDES_DATA_DIR>/<id>.json; anything with a slash or `.json` is a path.
  const file = /^[a-z0-9-]+$/.test(arg) ? join(settings.dataDir, `${arg}.json`) : arg;
  const dir = paths.templatesDir(settings.templatesDir);
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
  await writeOutputFile(out, rendered.pdf);
  const ms = Math.round(performance.now() - started);

  if (values.png !== undefined) {
    const prefix = join(values.png, basename(out, '.pdf'));
    await createOutputFolder(values.png);
    try {
      const { execFile } = await import('node:child_process');
      const { promisify } = await import('node:util');
      await promisify(execFile)('pdftoppm', ['-png', '-r', '100', out, prefix]);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new CliFailure(missing ? 'pdftoppm not found: install poppler-utils for --png' : String(error));
    }
    process.stdout.write(`pngs: ${prefix}-*.png\n`);
  }
  process.stdout.write(`${out}: ${rendered.pages} pages, ${rendered.pdf.length} bytes, ${ms} ms\n`);
  return 0;
}
