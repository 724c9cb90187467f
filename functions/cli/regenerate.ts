// `guides regenerate [ids…|--all] [--force] [--concurrency N]`: rebuilds guides against the configured S3,
// rendering on all cores; a progress bar on a terminal, plain lines otherwise, and a summary.
import { availableParallelism } from 'node:os';
import { CliUsageError, type Command, parseCommandArgs } from './command.ts';

interface Failure {
  compoundId: string;
  message: string;
}

export const regenerateCommand: Command = {
  usage: `usage: guides regenerate <id>… [--force] [--concurrency N]
       guides regenerate --all [--force] [--concurrency N]

Rebuilds guides in the configured S3 (GUIDES_S3_ENDPOINT, AWS when credentials are configured, or the
local server of \`npm start\`), rendering on every core. A guide whose fingerprint is current is
skipped unless --force. Prints a progress bar (plain lines when not a terminal) and a summary; exit 1
when any guide failed, with each failure and its reason.

options:
  --all               every dataset in the datasets bucket
  --force             render even guides that are current
  --concurrency <n>   guides in flight, 1 to 64 (default: the number of cores)
  -h, --help          show this help
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      all: { type: 'boolean' },
      force: { type: 'boolean' },
      concurrency: { type: 'string' },
    });
    if (values.all && positionals.length > 0) throw new CliUsageError('give compound ids or --all, not both');
    if (!values.all && positionals.length === 0) throw new CliUsageError('give compound ids or --all');
    const { COMPOUND_ID_PATTERN, DatasetInvalid } = await import('../guide/dataset.ts');
    for (const id of positionals)
      if (!COMPOUND_ID_PATTERN.test(id)) throw new CliUsageError(`malformed compound id "${id}"`);
    const concurrency =
      values.concurrency === undefined ? availableParallelism() : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new CliUsageError('--concurrency must be an integer from 1 to 64');
    }

    const [
      { loadSettings },
      { loadMethodCatalogue },
      { RenderPool },
      { renderWorkerScript, templatesDir },
      { CompoundNotFound },
      { mapLimited },
      { wire },
      { storageTarget },
      { structureCacheFolder, useStructureCacheFolder },
      { structureAnswers },
    ] = await Promise.all([
      import('../config.ts'),
      import('../guide/methods.ts'),
      import('../local/render-pool.ts'),
      import('../paths.ts'),
      import('../service/errors.ts'),
      import('../map-limited.ts'),
      import('../wiring.ts'),
      import('./storage-target.ts'),
      import('../chemistry/structure-cache-files.ts'),
      import('../chemistry/structure.ts'),
    ]);
    const describeFailure = (error: unknown): string => {
      if (error instanceof CompoundNotFound) return 'no such dataset';
      if (error instanceof DatasetInvalid)
        return error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      return error instanceof Error ? error.message : String(error);
    };
    const settings = loadSettings();
    const target = await storageTarget(settings);
    const templates = templatesDir(settings.templatesDir);
    const structures = structureCacheFolder(settings.stateDir);
    useStructureCacheFolder(structures);
    const pool = await RenderPool.start({
      workerScript: renderWorkerScript(),
      templatesDir: templates,
      // RDKit runs in this thread (which validates, with the structure cache); the render threads ask it.
      structures: structureAnswers,
      size: Math.min(concurrency, availableParallelism()),
    });
    try {
      const wiring = wire(settings, {
        s3: target.client,
        render: (dataset) => pool.render(dataset),
        assetsDigest: pool.assetsDigest,
        methods: loadMethodCatalogue(templates),
        dispatcher: { dispatch: async () => {} },
      });
      // With --all, listings tell which guides exist and which datasets changed, saving a request or two each.
      const plan: { id: string; datasetEtag?: string; hasGuide?: boolean }[] = values.all
        ? await wiring.guides.batchPlan()
        : [...new Set(positionals)].map((id) => ({ id }));
      const ids = plan.map((item) => item.id);
      const progress = new Progress(ids.length, process.stderr);
      process.stderr.write(
        `regenerating ${ids.length} guide(s) in ${target.description}${values.force ? ' (forced)' : ''}\n`,
      );
      const failures: Failure[] = [];
      const started = performance.now();
      // Twice the render threads keeps them busy while other items wait on S3.
      await mapLimited(plan, concurrency * 2, async ({ id: compoundId, ...known }) => {
        try {
          const outcome = await wiring.guides.regenerate(compoundId, {
            ...known,
            force: values.force ?? false,
          });
          progress.tick(compoundId, outcome);
        } catch (error) {
          const message = describeFailure(error);
          failures.push({ compoundId, message });
          progress.tick(compoundId, 'failed', message);
        }
      });
      progress.finish();
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(
        `${progress.counts.rendered} rendered, ${progress.counts.skipped} skipped, ${failures.length} failed in ${seconds.toFixed(1)} s\n`,
      );
      for (const failure of failures)
        process.stdout.write(`  failed ${failure.compoundId}: ${failure.message}\n`);
      return failures.length > 0 ? 1 : 0;
    } finally {
      await pool.close();
      target.client.destroy();
    }
  },
};

class Progress {
  readonly counts = { rendered: 0, skipped: 0, failed: 0 };
  private done = 0;
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream,
  ) {}

  tick(compoundId: string, outcome: 'rendered' | 'skipped' | 'failed', message?: string): void {
    this.done++;
    this.counts[outcome]++;
    if (!this.out.isTTY) {
      this.out.write(
        `[${this.done}/${this.total}] ${outcome} ${compoundId}${message ? `: ${message}` : ''}\n`,
      );
      return;
    }
    const now = Date.now();
    if (now - this.lastDraw < 50 && this.done < this.total) return;
    this.lastDraw = now;
    const width = 30;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    const { rendered, skipped, failed } = this.counts;
    this.out.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total}  rendered ${rendered}  skipped ${skipped}  failed ${failed}`,
    );
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
