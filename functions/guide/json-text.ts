// Dataset bytes become JSON here: strict JSON (JSON.parse decides what is valid), plus what JSON.parse cannot see — a
// key given twice in one object, which it resolves silently by keeping the last — and the position of a syntax error
// without quoting the file's content (V8's messages quote a snippet, which may be any file's first bytes).
import { type JSONPath, type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';
import type { DatasetIssue } from './dataset.ts';

/** `targets[2].measurements[0]` from `['targets', 2, 'measurements', 0]`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export type JsonText = { ok: true; value: unknown } | { ok: false; issues: DatasetIssue[] };

/** Parses JSON text; every key given twice in one object is an issue at its path, a syntax error one issue. */
export function parseJsonText(source: string): JsonText {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    return { ok: false, issues: [{ path: '', message: `not valid JSON (${syntaxErrorAt(source)})` }] };
  }
  // Only objects can hold a key twice; a scalar or an array of scalars needs no second pass.
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  let issues: DatasetIssue[];
  try {
    issues = duplicateKeys(source);
  } catch (error) {
    // The scan recurses per level; JSON.parse does not. No dataset comes near the depth that exhausts the stack.
    if (!(error instanceof RangeError)) throw error;
    issues = [{ path: '', message: 'JSON is nested too deeply' }];
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

function duplicateKeys(source: string): DatasetIssue[] {
  const issues: DatasetIssue[] = [];
  const open: Set<string>[] = [];
  visit(
    source,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (
        key: string,
        _offset: number,
        _length: number,
        line: number,
        column: number,
        path: () => JSONPath,
      ) => {
        const seen = open.at(-1);
        if (seen === undefined) return;
        if (!seen.has(key)) {
          seen.add(key);
          return;
        }
        issues.push({
          path: formatJsonPath([...path(), key]),
          message: `duplicate key ${JSON.stringify(key)} at line ${line + 1}, column ${column + 1} (JSON would keep only the last; remove one)`,
        });
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return issues;
}

/** Where the first syntax error is, as `syntax error at line L, column C` or `unexpected end of input`. */
function syntaxErrorAt(source: string): string {
  let first: { offset: number; line: number; column: number; code: ParseErrorCode } | undefined;
  visit(
    source,
    {
      onError: (code: ParseErrorCode, offset: number, _length: number, line: number, column: number) => {
        first ??= { offset, line, column, code };
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  if (first === undefined) return 'syntax error';
  if (first.offset >= source.trimEnd().length || printParseErrorCode(first.code) === 'UnexpectedEndOfString')
    return 'unexpected end of input';
  return `syntax error at line ${first.line + 1}, column ${first.column + 1}`;
}
