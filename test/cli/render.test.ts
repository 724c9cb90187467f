// `guides render` as a user runs it: the PDF written, its summary line, page PNGs, and refusals.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { embeddedDatasetBytes } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { repoRoot, runGuides } from '../support/cli.ts';
import { removeTemporaryDirectories, temporaryDirectory } from '../support/temp.ts';

const out = temporaryDirectory('guides-render-');
afterAll(removeTemporaryDirectories);

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

  it('embeds the validated dataset by default, as poppler extracts it, and leaves it out with --no-attach', async () => {
    const attached = join(out, 'attached.pdf');
    const light = join(out, 'light.pdf');
    expect((await runGuides(['render', 'levomilnacipran', '--attach', '-o', attached])).code).toBe(0);
    expect((await runGuides(['render', 'levomilnacipran', '--no-attach', '-o', light])).code).toBe(0);
    expect(execFileSync('pdfdetach', ['-list', attached], { encoding: 'utf8' })).toMatch(
      /^1 embedded files\n1: levomilnacipran\.json$/m,
    );
    expect(execFileSync('pdfdetach', ['-list', light], { encoding: 'utf8' })).toMatch(/^0 embedded files/);
    expect(statSync(light).size).toBeLessThan(statSync(attached).size);
    // What a script pulling the data out gets: the validated dataset, which validates again to the same value.
    const extracted = join(out, 'extracted.json');
    execFileSync('pdfdetach', ['-save', '1', '-o', extracted, attached]);
    const methods = loadMethodCatalogue(templatesDir());
    const source = await parseDataset(readFileSync(join(repoRoot, 'data/levomilnacipran.json')), {
      file: 'source',
      methods,
    });
    const embedded = await parseDataset(readFileSync(extracted), { file: 'extracted', methods });
    expect(embedded.dataset).toEqual(source.dataset);
    expect(readFileSync(extracted).equals(embeddedDatasetBytes(source.dataset))).toBe(true);
    const both = await runGuides(['render', 'levomilnacipran', '--attach', '--no-attach', '-o', light]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--attach and --no-attach contradict each other');
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
    const copy = temporaryDirectory('guides-snapshot-');
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
