// `guides schema` — prints the dataset JSON Schema generated from the zod schema.
import { CliUsageError, type Command, parseCommandArgs } from './command.ts';

export const schemaCommand: Command = {
  usage: `usage: guides schema

Prints the dataset JSON Schema (generated from the same zod schema that validates datasets) on stdout;
the published copy is schema/dataset.schema.json.

options:
  -h, --help   show this help
`,
  async run(args) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length > 0) throw new CliUsageError('takes no arguments');
    const { datasetJsonSchema } = await import('../guide/dataset.ts');
    process.stdout.write(`${JSON.stringify(datasetJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
