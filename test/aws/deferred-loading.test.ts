// The build's deferredLoading plugin (scripts/esbuild-plugins.mjs) against the stock packages: a bundle made with it
// takes Unicode tries and AES through the deferring modules, and answers exactly as the packages do unbundled.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in JavaScript, without types
import { deferredLoading } from '../../scripts/esbuild-plugins.mjs';
import { repoRoot } from '../support/cli.ts';

// Inside node_modules, so that the probe finds the packages as the functions' bundles do.
const scratch = mkdtempSync(join(repoRoot, 'node_modules', '.deferred-loading-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// What the guides use of each deferred package: fontkit's layout (Unicode properties, and a shaper's trie for
// Arabic), linebreak's breaks, and AES as pdfkit would call it for an encrypted PDF.
const PROBE = `
const fontkit = require('fontkit');
const LineBreaker = require('linebreak');
const aes = require('@noble/ciphers/aes');
const font = fontkit.create(require('node:fs').readFileSync(process.argv[2]));
const layout = (text) => {
  const run = font.layout(text);
  return run.glyphs.map((g, i) => [g.id, g.codePoints, run.positions[i].xAdvance, run.positions[i].xOffset]);
};
const breaker = new LineBreaker('Binding is most potent at SERT, with Ki 0.8\\u00a0nM \\u2014 see Table\\u00a02.');
const breaks = [];
for (let b; (b = breaker.nextBreak()); ) breaks.push([b.position, b.required]);
const key = new Uint8Array(16).fill(7);
const iv = new Uint8Array(16).fill(3);
process.stdout.write(JSON.stringify({
  latin: layout('Fluoxetine\\u2019s affinity (Ki) at SERT \\u2014 0.81 nM; office'),
  arabic: layout('\\u0627\\u0644\\u0639\\u0631\\u0628\\u064a\\u0629'),
  breaks,
  sealed: Array.from(aes.cbc(key, iv).encrypt(new TextEncoder().encode('guides'))),
  exports: Object.keys(aes).sort(),
}));
`;

describe('deferredLoading (build plugin)', () => {
  it('routes tries and AES through deferring modules that answer as the stock packages', async () => {
    const entry = join(scratch, 'probe.cjs');
    writeFileSync(entry, PROBE);
    const font = join(repoRoot, 'templates/fonts/GuideSans-Regular.ttf');
    const stock = execFileSync(process.execPath, [entry, font], { encoding: 'utf8' });
    expect(JSON.parse(stock).latin.length).toBeGreaterThan(30);

    const bundled = join(scratch, 'probe.bundle.cjs');
    const { metafile } = await build({
      entryPoints: [entry],
      outfile: bundled,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      mainFields: ['module', 'main'],
      plugins: [deferredLoading],
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    // Each package's own import of unicode-trie, and the AES import, went through the plugin's modules.
    expect(inputs.filter((i) => i.startsWith('deferred-unicode-trie:')).length).toBeGreaterThan(0);
    expect(
      inputs.filter((i) => i.startsWith('deferred-module:') && i.includes('@noble/ciphers')),
    ).toHaveLength(1);
    expect(inputs.some((i) => /unicode-trie\/index\.js$/.test(i))).toBe(true);
    expect(execFileSync(process.execPath, [bundled, font], { encoding: 'utf8' })).toBe(stock);
  });
});
