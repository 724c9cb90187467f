// `guides schema` — prints the dataset JSON Schema generated from the zod schema.
import { datasetJsonSchema } from '../guide/dataset.ts';
import type { Command } from './command.ts';

export const schemaCommand: Command = {
  async run() {
    process.stdout.write(`${JSON.stringify(datasetJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
