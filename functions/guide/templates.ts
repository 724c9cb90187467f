// The guide's Handlebars templates, compiled once. They emit a pdfmake document definition as JSON, and the only
// way to print a value is `{{json value}}`: every string is JSON-encoded, so data can never become template syntax.
// Sections are partials under guide/sections/, sentences under guide/prose/ (`{{> prose/abstract}}`). Besides the
// built-in block helpers, two choose without printing: `{{#is a "b"}}` (equality) and `{{#plural n}}` (n ≠ 1). In a
// text array, `{ "constants": {{json value}} }` sets a string the guide composed with its constant names subscripted
// (constant-names.ts), as the notes write them by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { constantNameRuns, keepWithConstant } from './constant-names.ts';

type Ast = hbs.AST.Node & Record<string, unknown>;

const BLOCK_HELPERS = new Set(['each', 'if', 'unless', 'with', 'is', 'plural']);

/** Refuses any mustache that would print a value without JSON encoding (`{{x}}`, `{{{x}}}`, unknown helpers). */
function checkTemplate(file: string, source: string): void {
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Ast;
    if (n.type === 'MustacheStatement') {
      const path = n['path'] as hbs.AST.PathExpression;
      const params = n['params'] as unknown[];
      if (path.original !== 'json' || params.length !== 1 || n['escaped'] !== true) {
        const line = (n.loc as hbs.AST.SourceLocation).start.line;
        throw new Error(`${file}:${line}: print values only with {{json value}}`);
      }
    }
    if (n.type === 'BlockStatement') {
      const path = n['path'] as hbs.AST.PathExpression;
      if (!BLOCK_HELPERS.has(path.original)) {
        throw new Error(`${file}: unknown block helper "${path.original}"`);
      }
    }
    if (n.type === 'SubExpression') {
      const line = (n.loc as hbs.AST.SourceLocation).start.line;
      throw new Error(`${file}:${line}: no subexpressions; choose with block helpers`);
    }
    for (const value of Object.values(n)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object' && 'type' in value) visit(value);
    }
  };
  visit(Handlebars.parse(source));
}

export type TemplateContext = Record<string, unknown>;

// The same for compiling here and precompiling at build time, so that both give the same template functions.
const COMPILE_OPTIONS: CompileOptions = {
  knownHelpers: { json: true, is: true, plural: true },
  knownHelpersOnly: true,
  preventIndent: true,
};
const MAIN_TEMPLATES = ['document', 'header', 'footer'] as const;

/**
 * The guide's template sources, checked: partials by name (sections/*.hbs by their own, prose/*.hbs as `prose/…`),
 * and the three main templates.
 */
function readSources(templatesDir: string): {
  partials: Record<string, string>;
  main: Record<string, string>;
} {
  const dir = join(templatesDir, 'guide');
  const read = (file: string) => {
    const source = readFileSync(file, 'utf8');
    checkTemplate(file, source);
    return source;
  };
  const partials: Record<string, string> = {};
  for (const [folder, prefix] of [
    ['sections', ''],
    ['prose', 'prose/'],
  ] as const) {
    for (const name of readdirSync(join(dir, folder))
      .filter((f) => f.endsWith('.hbs'))
      .sort())
      partials[prefix + basename(name, '.hbs')] = read(join(dir, folder, name));
  }
  const main = Object.fromEntries(MAIN_TEMPLATES.map((name) => [name, read(join(dir, `${name}.hbs`))]));
  return { partials, main };
}

/** Templates compiled to code at build time (Handlebars.precompile), as a build embeds them: see precompileTemplates. */
export interface PrecompiledTemplates {
  partials: Record<string, TemplateSpecification>;
  main: Record<(typeof MAIN_TEMPLATES)[number], TemplateSpecification>;
}

/**
 * JavaScript source of an object literal of type PrecompiledTemplates for the templates in `templatesDir`, checked as
 * load() checks them: a build puts it in a bundle, and the templates then need no compiling at start-up.
 */
export function precompileTemplates(templatesDir: string): string {
  const { partials, main } = readSources(templatesDir);
  const specs = (sources: Record<string, string>) =>
    `{${Object.entries(sources)
      .map(([name, source]) => `${JSON.stringify(name)}: ${Handlebars.precompile(source, COMPILE_OPTIONS)}`)
      .join(',\n')}}`;
  return `{partials: ${specs(partials)},\nmain: ${specs(main)}}`;
}

function environment(): typeof Handlebars {
  const env = Handlebars.create();
  env.registerHelper('json', (value: unknown) => new env.SafeString(JSON.stringify(value ?? null)));
  env.registerHelper(
    'is',
    function (this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
      return a === b ? options.fn(this) : options.inverse(this);
    },
  );
  env.registerHelper('plural', function (this: unknown, n: unknown, options: Handlebars.HelperOptions) {
    return n !== 1 ? options.fn(this) : options.inverse(this);
  });
  return env;
}

export class GuideTemplates {
  private constructor(
    private readonly documentTemplate: Handlebars.TemplateDelegate,
    private readonly headerTemplate: Handlebars.TemplateDelegate,
    private readonly footerTemplate: Handlebars.TemplateDelegate,
  ) {}

  /** Reads, checks and compiles the templates under `templatesDir`. */
  static load(templatesDir: string): GuideTemplates {
    const env = environment();
    const { partials, main } = readSources(templatesDir);
    for (const [name, source] of Object.entries(partials))
      env.registerPartial(name, env.compile(source, COMPILE_OPTIONS));
    return new GuideTemplates(
      env.compile(main['document']!, COMPILE_OPTIONS),
      env.compile(main['header']!, COMPILE_OPTIONS),
      env.compile(main['footer']!, COMPILE_OPTIONS),
    );
  }

  /** The templates a build precompiled (precompileTemplates): no parsing or compiling here. */
  static precompiled(specs: PrecompiledTemplates): GuideTemplates {
    const env = environment();
    for (const [name, spec] of Object.entries(specs.partials)) env.registerPartial(name, env.template(spec));
    return new GuideTemplates(
      env.template(specs.main.document),
      env.template(specs.main.header),
      env.template(specs.main.footer),
    );
  }

  document(context: TemplateContext): Record<string, unknown> {
    return parse('document', this.documentTemplate(context));
  }

  header(context: TemplateContext): unknown {
    return parse('header', this.headerTemplate(context));
  }

  footer(context: TemplateContext): unknown {
    return parse('footer', this.footerTemplate(context));
  }
}

/** A template's `{ "constants": "pKi 7.95" }` in a text array: text whose constant names get subscripts. */
function constantsOf(item: unknown): string | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const record = item as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== 1 || keys[0] !== 'constants') return undefined;
  if (typeof record['constants'] !== 'string')
    throw new Error('templates/guide: "constants" must be a string');
  return record['constants'];
}

/** A subscript inline (a constant name's, as constant-names.ts and the notes write them). */
const isSubscript = (run: unknown): boolean =>
  !!run && typeof run === 'object' && (run as Record<string, unknown>)['sub'] === true;

/**
 * An inline as pdfmake sets it: one whose text stays an array (a subscript among its runs) is flattened by pdfmake
 * into its pieces, which lose the inline's own style (pdfmake issue 1174: a Table 1 p-value would leave the `meta`
 * style), so each piece carries that style itself.
 */
function inlinePieces(item: unknown): unknown[] {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return [item];
  const { text, ...style } = item as Record<string, unknown>;
  if (!Array.isArray(text)) return [item];
  return text.map((piece) =>
    typeof piece === 'string' ? { ...style, text: piece } : { ...style, ...piece },
  );
}

/**
 * Joins neighbouring plain strings of every `text` array, as sentences assembled from partials arrive in pieces:
 * pdfmake measures and styles each piece of a text array on its own, so fewer pieces lay out faster, same output.
 * A `{ "constants": … }` piece is first split into its runs (constant-names.ts), which join their neighbours too.
 */
function joinTextRuns(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) joinTextRuns(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  // Outside a text array pdfmake would print nothing of it: a template's mistake, said so at once.
  if ('constants' in record)
    throw new Error('templates/guide: a "constants" piece belongs inside a "text" array');
  for (const [key, value] of Object.entries(record)) {
    if (key === 'text' && Array.isArray(value)) {
      const runs: unknown[] = [];
      for (const piece of value) {
        const constants = constantsOf(piece);
        for (const item of constants === undefined ? [piece] : constantNameRuns(constants)) {
          const last = runs.length - 1;
          if (typeof item === 'string' && typeof runs[last] === 'string') runs[last] += item;
          else {
            joinTextRuns(item);
            runs.push(...inlinePieces(item));
          }
        }
      }
      // A value after a constant name's subscript keeps beside it (constant-names.ts).
      for (let i = 1; i < runs.length; i++) {
        const run = runs[i];
        if (typeof run === 'string' && isSubscript(runs[i - 1])) runs[i] = keepWithConstant(run);
      }
      record[key] = runs.length === 1 && typeof runs[0] === 'string' ? runs[0] : runs;
    } else if (value && typeof value === 'object' && key !== 'svg') joinTextRuns(value);
  }
}

function parse(name: string, json: string): Record<string, unknown> {
  let definition: Record<string, unknown>;
  try {
    definition = JSON.parse(json);
  } catch (error) {
    // Only a template mistake can get here: values are JSON-encoded, so the fix is always in templates/.
    throw new Error(`templates/guide ${name} produced invalid JSON: ${(error as Error).message}`);
  }
  joinTextRuns(definition);
  return definition;
}
