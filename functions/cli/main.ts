// `guides` — the command-line door. Each command lives in its own module, loaded only when used.
import { type Command, runCommand } from './command.ts';

const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./validate.ts')).validateCommand,
  schema: async () => (await import('./schema.ts')).schemaCommand,
  render: async () => (await import('./render.ts')).renderCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  keys: async () => (await import('./keys.ts')).keysCommand,
  regenerate: async () => (await import('./regenerate.ts')).regenerateCommand,
  import: async () => (await import('./import.ts')).importCommand,
};

const USAGE = `usage: guides <command> [options]

commands:
  validate <file|dir>… [--json]     check datasets against the contract
  schema                            print the dataset JSON Schema
  render <dataset.json|id> [-o out.pdf] [--png dir] [--brand name] [--no-attach]
                                    render a guide PDF (and page PNGs), the dataset embedded
                                    unless --no-attach
  serve                             run the service locally (what \`npm start\` runs)
  regenerate [ids…|--all] [--force] [--concurrency N]
                                    rebuild guides in the configured S3
  keys create --scope guides|admin [--label text] | keys revoke <id> | keys list
                                    manage API keys (stored as hashes)
  import <chembl|gtopdb|bindingdb|pdsp> <file> [--molecule …] [--id …] [--primary …]… [--include-flagged] [-o out.json]
                                    turn a database export into a dataset draft
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`guides: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return runCommand(name, await load(), rest);
}

process.exitCode = await main(process.argv.slice(2));
