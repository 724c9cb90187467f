// `guides import <chembl|gtopdb|bindingdb|pdsp> <file> [--molecule …] [--id …] [--primary …]… [--include-flagged]
// [-o out.json]` — a database export in, a dataset draft out (SPEC §9); the report of what was kept goes to stderr.
import type { Draft, ImportReport } from '../import/draft.ts';
import { SOURCES } from '../import/sources.ts';
import { CliUsageError, type Command, parseCommandArgs, writeOutputFile } from './command.ts';

export const IMPORT_USAGE = `usage: guides import <chembl|gtopdb|bindingdb|pdsp> <file> [options]

Turns a database export into a dataset draft that validates; reports on stderr what it kept and skipped.

sources:
${Object.entries(SOURCES)
  .map(([name, describe]) => `  ${name.padEnd(10)} ${describe}`)
  .join('\n')}

options:
  --molecule <id or name>  the molecule to import when the file holds several (source id or name)
  --id <compound id>       the dataset's compound id (default: from the molecule's name)
  --primary <target>       a primary target, by name or source id (repeat for several; the rest are off-targets)
  --include-flagged        keep rows the source flags as doubtful (ChEMBL's data validity comments)
  -o <out.json>            write the draft here (folders are created); default: stdout
  -h, --help               show this help
`;

const OPTIONS = {
  molecule: { type: 'string' },
  id: { type: 'string' },
  primary: { type: 'string', multiple: true },
  'include-flagged': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
} as const;

export const importCommand: Command = {
  usage: IMPORT_USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    const [source, file, ...extra] = positionals;
    if (!source || !file) throw new CliUsageError('name a source and an export file (see --help)');
    if (extra.length > 0) throw new CliUsageError(`one file at a time (also given: ${extra.join(' ')})`);
    const [
      { loadSettings },
      { COMPOUND_ID_PATTERN },
      { loadMethodCatalogue },
      { DraftBuilder },
      { ImportFailed, MoleculeNotFound },
      { IMPORTERS },
      { templatesDir },
    ] = await Promise.all([
      import('../config.ts'),
      import('../guide/dataset.ts'),
      import('../guide/methods.ts'),
      import('../import/draft.ts'),
      import('../import/errors.ts'),
      import('../import/importers.ts'),
      import('../paths.ts'),
    ]);
    const importer = Object.hasOwn(IMPORTERS, source) ? IMPORTERS[source] : undefined;
    if (!importer)
      throw new CliUsageError(`unknown source "${source}" (one of ${Object.keys(IMPORTERS).join(', ')})`);
    if (values.id !== undefined && !COMPOUND_ID_PATTERN.test(values.id)) {
      throw new CliUsageError(
        `--id "${values.id}" must be lower-case letters, digits and inner hyphens (1-64)`,
      );
    }
    const builder = new DraftBuilder({
      database: importer.database,
      ...(values.molecule !== undefined ? { molecule: values.molecule } : {}),
      ...(values.id !== undefined ? { id: values.id } : {}),
      primary: values.primary ?? [],
      includeFlagged: values['include-flagged'] ?? false,
      today: new Date().toISOString().slice(0, 10),
      methods: loadMethodCatalogue(templatesDir(loadSettings().templatesDir)),
    });
    const progress = process.stderr.isTTY ? progressLine(file) : undefined;
    let draft: Draft;
    try {
      try {
        await importer.read(file, (activity) => builder.add(activity), progress?.update);
      } finally {
        progress?.clear();
      }
      draft = await builder.finish();
    } catch (error) {
      if (error instanceof ImportFailed || isFileError(error)) {
        // A report of a molecule nobody chose (or of none) would read as an import that happened.
        if (!(error instanceof MoleculeNotFound) && builder.currentReport.rowsRead > 0) {
          writeReport(source, file, builder.currentReport);
        }
        const reason = error instanceof ImportFailed ? error.message : describeFileError(error, file);
        process.stderr.write(`guides import: ${reason}\nnothing was written\n`);
        return 1;
      }
      throw error;
    }

    writeReport(source, file, draft.report);
    if (values.output === undefined) {
      process.stdout.write(draft.json);
    } else {
      await writeOutputFile(values.output, draft.json);
      process.stderr.write(`wrote ${values.output}\n`);
    }
    return 0;
  },
};

function isFileError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ENOENT' ||
    code === 'EISDIR' ||
    code === 'EACCES' ||
    code === 'Z_DATA_ERROR' ||
    code === 'Z_BUF_ERROR'
  );
}

function describeFileError(e: NodeJS.ErrnoException, file: string): string {
  if (e.code === 'ENOENT') return `no such file: ${file}`;
  if (e.code === 'EISDIR') return `${file} is a folder, not an export file`;
  if (e.code === 'EACCES') return `cannot read ${file} (permission denied)`;
  if (e.code === 'Z_BUF_ERROR') return `${file}: the gzip stream ends early (a truncated download?)`;
  return `${file}: the gzip stream is corrupt (${e.message})`;
}

function writeReport(source: string, file: string, report: ImportReport) {
  const n = (x: number) => x.toLocaleString('en-US');
  const skipped = [...report.skipped.entries()].sort((a, b) => b[1] - a[1]);
  const skippedTotal = skipped.reduce((sum, [, count]) => sum + count, 0);
  const width = Math.max(...skipped.map(([, count]) => n(count).length), 1);
  const lines = [
    `guides import ${source}: ${report.molecule || '(no molecule)'} from ${file}`,
    `  rows read        ${n(report.rowsRead)}`,
    ...(report.otherMolecules ? [`  other molecules  ${n(report.otherMolecules)} rows (not imported)`] : []),
    `  kept             ${n(report.kept)} values, ${n(report.targets)} targets, ${n(report.references)} references`,
    `  skipped          ${n(skippedTotal)}`,
    ...skipped.map(([reason, count]) => `    ${n(count).padStart(width)}  ${reason}`),
    ...report.notes.map((note) => `  note: ${note}`),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** A one-line progress indicator for terminals, redrawn at most five times a second. */
function progressLine(file: string) {
  let last = 0;
  let drawn = false;
  return {
    update(read: number, total: number) {
      const now = Date.now();
      if (now - last < 200 || total < 8 * 1024 * 1024) return;
      last = now;
      drawn = true;
      const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
      process.stderr.write(
        `\rreading ${file}: ${Math.floor((read / total) * 100)}% (${mb(read)} of ${mb(total)} MB)`,
      );
    },
    clear() {
      if (drawn) process.stderr.write('\r\u001b[K');
    },
  };
}
