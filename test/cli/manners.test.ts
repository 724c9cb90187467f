// What every `guides` command owes its user (SPEC §6): --help that starts nothing, --version, unknown options in
// our words, -o into a folder that does not exist yet, and commands that load only the packages they use.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runGuides } from '../support/cli.ts';
import { removeTemporaryDirectories, temporaryDirectory } from '../support/temp.ts';

afterAll(removeTemporaryDirectories);

const COMMANDS = ['validate', 'schema', 'render', 'serve', 'regenerate', 'keys', 'import'];
const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;

/** Node's own parseArgs wording, which must never reach a user. */
const NODE_WORDING = /Unknown option '|ERR_PARSE_ARGS|argument missing|To specify a positional|ambiguous/;

describe('guides --help and --version', () => {
  it('lists every command and exits 0', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const result = await runGuides(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^usage: guides <command>/);
      for (const name of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(result.stderr).toBe('');
    }
  });

  it('answers no command with the usage on stdout and exit 2', async () => {
    const result = await runGuides([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^usage: guides <command>/);
  });

  it('prints the package version', async () => {
    const result = await runGuides(['--version']);
    expect(result).toEqual({ code: 0, stdout: `guides ${version}\n`, stderr: '' });
  });

  it('gives each command its own usage, wherever --help stands, and runs nothing', async () => {
    for (const name of COMMANDS) {
      for (const args of [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
        [name, 'some-argument', '--help'],
      ]) {
        const result = await runGuides(args, { env: { GUIDES_S3_ENDPOINT: 'http://127.0.0.1:9' } });
        expect(result.code, args.join(' ')).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`^usage: guides ${name}\\b`));
        expect(result.stdout).toContain('-h, --help');
        expect(result.stderr).toBe('');
      }
    }
  });

  it("names render's --no-attach in its usage line and its options", async () => {
    const result = await runGuides(['render', '--help']);
    expect(result.stdout.split('\n')[0]).toContain('[--no-attach]');
    expect(result.stdout).toMatch(/^ {2}--no-attach {2,}leave the dataset out of the PDF/m);
  });

  it('answers --help for each keys action without touching storage', async () => {
    for (const action of ['create', 'revoke', 'list']) {
      const result = await runGuides(['keys', action, '--help'], {
        env: { GUIDES_S3_ENDPOINT: 'http://127.0.0.1:9' },
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`guides keys ${action}`);
    }
  });

  it('does not start the service for serve --help', async () => {
    const result = await runGuides(['serve', '--help'], { env: { PORT: '0', GUIDES_S3_PORT: '0' } });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('service running');
    expect(result.stdout).toContain('Ctrl-C stops it');
  });

  it('treats --help after -- as an argument', async () => {
    const result = await runGuides(['validate', '--', '--help']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--help: no such file or folder');
  });
});

describe('usage mistakes in our words', () => {
  it('names an unknown option for every command, exit 2', async () => {
    for (const name of COMMANDS) {
      const result = await runGuides([name, '--bogus']);
      expect(result.code, name).toBe(2);
      expect(result.stderr).toBe(
        `guides ${name}: unknown option --bogus\nrun \`guides ${name} --help\` for usage\n`,
      );
    }
  });

  it('says which option lacks its value or takes none', async () => {
    const missing = await runGuides(['render', 'levomilnacipran', '-o']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('guides render: option -o needs a value');
    const swallowed = await runGuides(['render', 'levomilnacipran', '--brand', '--png', 'x']);
    expect(swallowed.stderr).toContain('guides render: option --brand needs a value');
    const valued = await runGuides(['validate', '--json=yes', 'data']);
    expect(valued.code).toBe(2);
    expect(valued.stderr).toContain('guides validate: option --json takes no value');
    for (const result of [missing, swallowed, valued]) expect(result.stderr).not.toMatch(NODE_WORDING);
  });

  it('refuses unexpected arguments and unknown commands', async () => {
    expect((await runGuides(['schema', 'extra'])).stderr).toContain('guides schema: takes no arguments');
    const keys = await runGuides(['keys', 'rotate']);
    expect(keys.code).toBe(2);
    expect(keys.stderr).toContain('guides keys: unknown action "rotate"');
    const unknown = await runGuides(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^guides: unknown command "frobnicate"/);
  });
});

describe('output files', () => {
  it('creates the missing folders of -o and --png', async () => {
    const root = temporaryDirectory('guides-out-');
    const pdf = join(root, 'new', 'nested', 'levo.pdf');
    const pngs = join(root, 'pages', 'levo');
    const result = await runGuides(['render', 'levomilnacipran', '-o', pdf, '--png', pngs]);
    expect(result.code).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(result.stdout).toContain(`${pdf}: `);
    expect(readdirSync(pngs).filter((name) => name.endsWith('.png')).length).toBeGreaterThan(2);
  });

  it('names the path it cannot write instead of a raw error', async () => {
    const blocked = await runGuides([
      'render',
      'levomilnacipran',
      '-o',
      join(repoRoot, 'package.json', 'x.pdf'),
    ]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(
      `cannot write ${join(repoRoot, 'package.json')}: a file stands where a folder is needed`,
    );
    expect(blocked.stderr).not.toMatch(/ENOTDIR|ENOENT|at .*\.js:\d+/);
  });

  it('replaces a file whole (renamed into place, nothing left beside it) and writes to a device in place', async () => {
    const root = temporaryDirectory('guides-out-');
    const pdf = join(root, 'levo.pdf');
    writeFileSync(pdf, 'an older guide');
    const before = statSync(pdf).ino;
    expect((await runGuides(['render', 'levomilnacipran', '-o', pdf])).code).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(statSync(pdf).ino).not.toBe(before);
    expect(readdirSync(root)).toEqual(['levo.pdf']);
    // A device is not renamed over (as root that would replace /dev/null itself).
    const devNull = statSync('/dev/null');
    const toDevice = await runGuides(['render', 'levomilnacipran', '-o', '/dev/null']);
    expect(toDevice.code, toDevice.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(statSync('/dev/null').ino).toBe(devNull.ino);
  });
});

describe('commands load only what they use', () => {
  // The built CLI beside the templates, with node_modules holding only the packages named: a command that
  // reaches for anything else fails to start.
  function installWith(packages: string[]): string {
    const root = temporaryDirectory('guides-lean-');
    for (const part of ['bin', 'dist', 'templates', 'data', 'package.json'])
      cpSync(join(repoRoot, part), join(root, part), { recursive: true });
    mkdirSync(join(root, 'node_modules'));
    for (const name of packages) {
      // A scoped package's folder (node_modules/@scope/) first.
      mkdirSync(dirname(join(root, 'node_modules', name)), { recursive: true });
      symlinkSync(join(repoRoot, 'node_modules', name), join(root, 'node_modules', name));
    }
    return root;
  }

  it('answers --help and --version with no package installed at all', async () => {
    const root = installWith([]);
    expect(existsSync(join(root, 'node_modules', 'zod'))).toBe(false);
    for (const args of [['--help'], ['--version'], ...COMMANDS.map((name) => [name, '--help'])]) {
      const result = await runGuides(args, { cwd: root, bin: join(root, 'bin', 'guides.js') });
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stderr).toBe('');
    }
  });

  it('validates with zod, jsonc-parser and RDKit (datasets with a SMILES), and prints the schema, with nothing else installed', async () => {
    // RDKit checks a SMILES against the stated formula; Powertools' one small LRU cache remembers its readings;
    // jsonc-parser finds keys given twice.
    const root = installWith(['zod', 'jsonc-parser', '@rdkit/rdkit', '@aws-lambda-powertools/commons']);
    const validated = await runGuides(['validate', 'data'], {
      cwd: root,
      bin: join(root, 'bin', 'guides.js'),
    });
    expect(validated.code).toBe(0);
    expect(validated.stdout).toMatch(/^\d+ valid, 0 invalid$/m);
    const schema = await runGuides(['schema'], { cwd: root, bin: join(root, 'bin', 'guides.js') });
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout).title).toContain('schemaVersion 1');
  });
});
