// `guides validate <file|dir>… [--json]` — exit 0 when every dataset is valid, 1 otherwise, 2 on usage errors.
import type { DatasetIssue } from '../guide/dataset.ts';
import { CliUsageError, type Command, parseCommandArgs } from './command.ts';

interface FileReport {
  file: string;
  valid: boolean;
  errors: DatasetIssue[];
  warnings: DatasetIssue[];
}

export const validateCommand: Command = {
  usage: `usage: guides validate <file|dir>… [--json]

Checks datasets against the contract: one line per problem (file, path, problem) on stderr,
warnings marked as such. Exit 0 when every dataset is valid, 1 when any is not, 2 on usage errors.
A folder stands for its *.json files.

options:
  --json       print one JSON report ({valid, files: [{file, valid, errors, warnings}]}) on stdout
  -h, --help   show this help
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    if (positionals.length === 0) throw new CliUsageError('name at least one dataset file or folder');

    const [
      { DatasetInvalid, formatIssueLine },
      files,
      { loadMethodCatalogue },
      { loadSettings },
      { templatesDir },
      { structureCacheFolder, useStructureCacheFolder },
    ] = await Promise.all([
      import('../guide/dataset.ts'),
      import('../guide/dataset-files.ts'),
      import('../guide/methods.ts'),
      import('../config.ts'),
      import('../paths.ts'),
      import('../chemistry/structure-cache-files.ts'),
    ]);
    const settings = loadSettings();
    const methods = loadMethodCatalogue(templatesDir(settings.templatesDir));
    useStructureCacheFolder(structureCacheFolder(settings.stateDir));
    const expanded = await files.expandDatasetPaths(positionals);
    const reports: FileReport[] = expanded.errors.map((e) => ({
      file: e.file,
      valid: false,
      errors: e.issues,
      warnings: [],
    }));
    for (const { file, within } of expanded.files) {
      try {
        const { warnings } = await files.readDatasetFile(
          file,
          methods,
          within === undefined ? {} : { within },
        );
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
