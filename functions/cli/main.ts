// `guides` — the command-line door. Each command lives in its own module, loaded only when named; a command
// module declares its usage and loads its work inside `run`. To add a command: write functions/cli/<name>.ts
// exporting a `Command`, and add one line below.
// The version is inlined by the bundler (only this field of package.json).
import { version } from '../../package.json';
import { type Command, runCommand } from './command.ts';

interface Registered {
  /** One line for `guides --help`. */
  summary: string;
  load(): Promise<Command>;
}

const commands: Record<string, Registered> = {
  validate: {
    summary: 'check datasets against the contract',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  schema: {
    summary: 'print the dataset JSON Schema',
    load: async () => (await import('./schema.ts')).schemaCommand,
  },
  render: {
    summary: 'render a guide PDF (and page PNGs) locally, its dataset embedded',
    load: async () => (await import('./render.ts')).renderCommand,
  },
  serve: {
    summary: 'run the service locally (what `npm start` runs)',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  regenerate: {
    summary: 'rebuild guides in the configured S3',
    load: async () => (await import('./regenerate.ts')).regenerateCommand,
  },
  keys: {
    summary: 'create, revoke and list API keys',
    load: async () => (await import('./keys.ts')).keysCommand,
  },
  import: {
    summary: 'turn a database export (ChEMBL, GtoPdb, BindingDB, PDSP) into a dataset draft',
    load: async () => (await import('./import.ts')).importCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length)) + 2;
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return `usage: guides <command> [options]

commands:
${lines.join('\n')}

\`guides <command> --help\` describes a command; \`guides --version\` prints the version.
`;
}

/** --help or -h anywhere before a `--` asks for help instead of running. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

const registered = (name: string | undefined) =>
  name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(`guides ${version}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  // `guides help` and `guides help <command>`, as git and npm answer them.
  if (name === 'help') {
    const entry = registered(rest[0]);
    if (rest.length > 0 && !entry) {
      process.stderr.write(`guides: unknown command "${rest[0]}"\n\n${usage()}`);
      return 2;
    }
    process.stdout.write(entry ? (await entry.load()).usage : usage());
    return 0;
  }
  const entry = registered(name);
  if (!entry) {
    process.stderr.write(`guides: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  if (asksForHelp(rest)) {
    process.stdout.write(command.usage);
    return 0;
  }
  return runCommand(name, command, rest);
}

process.exitCode = await main(process.argv.slice(2));
