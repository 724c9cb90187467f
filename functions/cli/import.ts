// `guides import <chembl|gtopdb|bindingdb|pdsp> <file> [--molecule …] [--id …] [--primary …]… [--include-flagged]
// [-o out.json]` — a database export in, a dataset draft out (SPEC §9); the report of what was kept goes to stderr.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettings } from '../config.ts';
import { COMPOUND_ID_PATTERN } from '../guide/dataset.ts';
import { loadMethodCatalogue } from '../guide/methods.ts';
import { type Draft, DraftBuilder, type ImportReport } from '../import/draft.ts';
import { ImportFailed, MoleculeNotFound } from '../import/errors.ts';
import { IMPORTERS } from '../import/importers.ts';
import { templatesDir } from '../paths.ts';
import { CliUsageError, type Command } from './command.ts';

export const IMPORT_USAGE = `usage: guides import <chembl|gtopdb|bindingdb|pdsp> <file> [options]

Turns a database export into a dataset draft that validates; reports on stderr what it kept and skipped.

sources:
${Object.entries(IMPORTERS)
  .map(([name, importer]) => `  ${name.padEnd(10)} ${importer.describe}`)
  .join('\n')}

options:
  --molecule <id or name>  the molecule to import when the file holds several (source id or name)
  --id <compound id>       the dataset's compound id (default: from the molecule's name)
  --primary <target>       a primary target, by name or source id (repeat for several; the rest are off-targets)
  --include-flagged        keep rows the source flags as doubtful (ChEMBL's data validity comments)
  -o <out.json>            write the draft here (folders are created); default: stdout
`;

const OPTIONS = {
  molecule: { type: 'string' },
  id: { type: 'string' },
  primary: { type: 'string', multiple: true },
  'include-flagged': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const option = /'([^']+)'/.exec(error instanceof Error ? error.message : '')?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new CliUsageError(`unknown option ${option} (see --help)`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new CliUsageError(`${option} needs a value`);
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

export const importCommand: Command = {
  async run(args) {
    const { values, positionals } = parse(args);
    if (values.help) {
      process.stdout.write(IMPORT_USAGE);
      return 0;
    }
    const [source, file, ...extra] = positionals;
    if (!source || !file) throw new CliUsageError('name a source and an export file (see --help)');
    if (extra.length > 0) throw new CliUsageError(`one file at a time (also given: ${extra.join(' ')})`);
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
        process.stderr.write(`guides import: ${describeFailure(error)}\nnothing was written\n`);
        return 1;
      }
      throw error;
    }

    writeReport(source, file, draft.report);
    if (values.output === undefined) {
      process.stdout.write(draft.json);
    } else {
      await writeAtomically(values.output, draft.json);
      process.stderr.write(`wrote ${values.output}\n`);
    }
    return 0;
  },
};

function isFileError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES' || code === 'Z_DATA_ERROR';
}

function describeFailure(error: unknown): string {
  if (error instanceof ImportFailed) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `no such file: ${e.path ?? ''}`;
  if (e.code === 'EISDIR') return `${e.path ?? 'the path'} is a folder, not an export file`;
  if (e.code === 'EACCES') return `cannot read ${e.path ?? 'the file'} (permission denied)`;
  return `the gzip stream is corrupt (${e.message})`;
}

/** Writes beside the target and renames, so a reader never sees half a file and a failure leaves nothing. */
async function writeAtomically(path: string, text: string) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
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
