// Readable one-line logs for local mode: `12:00:01 info  guide rendered compoundId=levomilnacipran ms=31`.
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LocalLog {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

function field(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text ?? '') ? JSON.stringify(text) : String(text);
}

export function createLocalLog(
  minimum: Level,
  write: (line: string) => void = (l) => process.stderr.write(l),
): LocalLog {
  const emit =
    (level: Level) =>
    (message: string, details: Record<string, unknown> = {}) => {
      if (ORDER[level] < ORDER[minimum]) return;
      const time = new Date().toISOString().slice(11, 19);
      const extra = Object.entries(details)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}=${field(v)}`)
        .join('');
      write(`${time} ${level.padEnd(5)} ${message}${extra}\n`);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
