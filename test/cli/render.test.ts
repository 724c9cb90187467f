// `guides render` as a user runs it: the PDF written, its summary line, page PNGs, and refusals.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runGuides } from '../support/cli.ts';

const out = mkdtempSync(join(tmpdir(), 'guides-render-'));

describe('guides render', () => {
  it('renders a dataset file to a PDF and prints path, pages, bytes and milliseconds', async () => {
    const pdf = join(out, 'levo.pdf');
    const result = await runGuides(['render', 'data/levomilnacipran.json', '-o', pdf]);
    expect(result.code).toBe(0);
    const bytes = readFileSync(pdf);
    expect(result.stdout).toMatch(new RegExp(`^${pdf}: (\\d+) pages, ${bytes.length} bytes, \\d+ ms$`, 'm'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('11–11.2 nM');
    expect(text).toContain('Halden Scientific');
  });

  it('takes a bare id, another brand, and writes page PNGs', async () => {
    const pdf = join(out, 'dulox.pdf');
    const pngs = join(out, 'png');
    const result = await runGuides([
      'render',
      'duloxetine',
      '-o',
      pdf,
      '--brand',
      'cobalt-bay',
      '--png',
      pngs,
    ]);
    expect(result.code).toBe(0);
    const pages = Number(/(\d+) pages/.exec(result.stdout)?.[1]);
    expect(readdirSync(pngs).filter((f) => f.endsWith('.png'))).toHaveLength(pages);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('Cobalt Bay Labs');
  });

  it('refuses an invalid dataset exactly as validate reports it, and writes nothing', async () => {
    const broken = JSON.parse(readFileSync(join(repoRoot, 'data/venlafaxine.json'), 'utf8'));
    broken.targets[0].measurements[0].unit = 'um';
    const file = join(out, 'venlafaxine.json');
    writeFileSync(file, JSON.stringify(broken));
    const pdf = join(out, 'never.pdf');
    const rendered = await runGuides(['render', file, '-o', pdf]);
    const validated = await runGuides(['validate', file]);
    expect(rendered.code).toBe(1);
    expect(rendered.stderr).toBe(validated.stderr);
    expect(rendered.stderr).toContain(
      'targets[0].measurements[0].unit: unknown unit "um" (did you mean "µM"?)',
    );
    expect(existsSync(pdf)).toBe(false);
  });

  it('refuses an unknown brand and bad arguments as usage errors', async () => {
    expect(
      (await runGuides(['render', 'levomilnacipran', '--brand', 'nope', '-o', join(out, 'x.pdf')])).code,
    ).toBe(2);
    expect((await runGuides(['render'])).code).toBe(2);
    expect((await runGuides(['render', 'a', 'b'])).code).toBe(2);
  });

  it('gives the same bytes from the startup snapshot (bin/guides.js) and from the plain bundle', async () => {
    const viaBin = join(out, 'bin.pdf');
    const viaBundle = join(out, 'bundle.pdf');
    expect((await runGuides(['render', 'levomilnacipran', '-o', viaBin])).code).toBe(0);
    execFileSync(
      process.execPath,
      [join(repoRoot, 'dist/cli.js'), 'render', 'levomilnacipran', '-o', viaBundle],
      {
        cwd: repoRoot,
        stdio: 'ignore',
      },
    );
    expect(readFileSync(viaBin).equals(readFileSync(viaBundle))).toBe(true);
  });

  it('says in one line when the snapshot does not fit this node, and renders the same bytes from the bundle', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'guides-snapshot-'));
    for (const part of ['bin', 'dist', 'templates', 'data', 'package.json'])
      cpSync(join(repoRoot, part), join(copy, part), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
    writeFileSync(join(copy, 'dist/render.blob.json'), JSON.stringify({ node: 'v0.0.1' }));
    const pdf = join(out, 'fallback.pdf');
    const result = await runGuides(['render', 'levomilnacipran', '-o', pdf], {
      cwd: copy,
      bin: join(copy, 'bin/guides.js'),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `guides render: the render snapshot was built by node v0.0.1, not this ${process.version} (npm run build makes one for it); rendering from the bundle\n`,
    );
    expect(readFileSync(pdf).equals(readFileSync(join(out, 'bundle.pdf')))).toBe(true);
  });
});
