// The shape shared by CLI commands, and argument parsing that reports mistakes as usage errors (exit 2).
import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface Command {
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** A mistake in how the command was called: its message and exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Runs a command as the `guides` door does: usage errors exit 2, any other failure one line and exit 1. */
export async function runCommand(name: string, command: Command, args: string[]): Promise<number> {
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`guides ${name}: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`guides ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
