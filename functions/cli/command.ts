// The shape shared by CLI commands, argument parsing that answers mistakes in our words (exit 2), and writing
// output files. A command module declares its usage and imports what it works with inside `run`, so that
// `guides --help`, `guides <command> --help` and the other commands never load it (see main.ts).
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface Command {
  /** Printed by `guides <command> --help`: a `usage:` line, what the command does, its options. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** The user's mistake in calling a command: printed with a pointer to --help, exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** A failure worth one line and exit 1 (a file that cannot be written, a pdftoppm that is missing). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs with the command's options, strict, positionals allowed. Options are checked first from
 * parseArgs' tokens, so an unknown option or a missing value is reported in our words, not Node's.
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O) {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!option) throw new CliUsageError(`unknown option ${token.rawName}`);
    if (
      option.type === 'string' &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))
    )
      throw new CliUsageError(`option ${token.rawName} needs a value`);
    if (option.type === 'boolean' && token.inlineValue)
      throw new CliUsageError(`option ${token.rawName} takes no value`);
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch {
    // The token check above covers what strict parsing refuses; this keeps Node's wording out regardless.
    throw new CliUsageError('the options could not be read');
  }
}

/** Creates a command's output folder (and its parents); failures become one line naming it. */
export async function createOutputFolder(path: string): Promise<void> {
  try {
    await createFolders(path);
  } catch (error) {
    throw cannotWrite(path, error);
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir loops forever where a parent refuses new entries with
 * ENOENT (e.g. under /proc), so the missing levels are found first and made in order.
 */
async function createFolders(path: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if ((await stat(dir)).isDirectory()) break;
      throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw error;
      missing.push(dir);
    }
  }
  for (const dir of missing.reverse()) {
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/**
 * Writes a command's output file, creating missing folders; failures become one line naming the file. A file is
 * written beside its target and renamed into place, so a reader never sees half of it and a failure (a full disk, a
 * killed process) leaves what was there; a device or pipe (`-o /dev/stdout`) is written to directly.
 */
export async function writeOutputFile(path: string, bytes: Uint8Array | string): Promise<void> {
  await createOutputFolder(dirname(path));
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile() && !existing.isDirectory()) {
    await writeFile(path, bytes).catch((error) => {
      throw cannotWrite(path, error);
    });
    return;
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw cannotWrite(path, error);
  }
}

function cannotWrite(path: string, error: unknown): CliFailure {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'it is a folder'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a file stands where a folder is needed'
          : code === 'ENOSPC'
            ? 'no space left on the device'
            : 'it cannot be written';
  return new CliFailure(`cannot write ${path}: ${reason}`, { cause: error });
}

/** Runs a command as the `guides` door does: usage errors exit 2 with a pointer to --help, other failures 1. */
export async function runCommand(name: string, command: Command, args: string[]): Promise<number> {
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`guides ${name}: ${error.message}\nrun \`guides ${name} --help\` for usage\n`);
      return 2;
    }
    process.stderr.write(`guides ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
