// `guides validate <file|dir>… [--json]` — exit 0 when every dataset is valid, 1 otherwise, 2 on usage errors.
import { type DatasetIssue, DatasetInvalid, formatIssueLine } from '../guide/dataset.ts';
import { expandDatasetPaths, readDatasetFile } from '../guide/dataset-files.ts';
import { loadMethodCatalogue } from '../guide/methods.ts';
import { loadSettings } from '../config.ts';
import { templatesDir } from '../paths.ts';
import { CliUsageError, type Command, parseCommandArgs } from './command.ts';

interface FileReport {
  file: string;
  valid: boolean;
  errors: DatasetIssue[];
  warnings: DatasetIssue[];
}

export const validateCommand: Command = {
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    if (positionals.length === 0) throw new CliUsageError('name at least one dataset file or folder');

    const methods = loadMethodCatalogue(templatesDir(loadSettings().templatesDir));
    const { files, errors } = await expandDatasetPaths(positionals);
    const reports: FileReport[] = errors.map((e) => ({
      file: e.file,
      valid: false,
      errors: e.issues,
      warnings: [],
    }));
    for (const { file, within } of files) {
      try {
        const { warnings } = await readDatasetFile(file, methods, within === undefined ? {} : { within });
        reports.push({ file, valid: true, errors: [], warnings });
      } catch (error) {
        if (!(error instanceof DatasetInvalid)) throw error;
        reports.push({ file, valid: false, errors: error.issues, warnings: [] });
      }
    }

    const valid = reports.every((r) => r.valid);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ valid, files: reports }, null, 2)}\n`);
    } else {
      for (const report of reports) {
        for (const issue of report.errors) process.stderr.write(`${formatIssueLine(report.file, issue)}\n`);
        for (const issue of report.warnings)
          process.stderr.write(`warning: ${formatIssueLine(report.file, issue)}\n`);
        if (report.valid) process.stdout.write(`${report.file}: valid\n`);
      }
      const bad = reports.filter((r) => !r.valid).length;
      process.stdout.write(`${reports.length - bad} valid, ${bad} invalid\n`);
    }
    return valid ? 0 : 1;
  },
};
