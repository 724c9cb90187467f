// The relayout patch (internals/relayout.ts) against the same renderer without it: pdfmake lays a document out more
// than once when its pageBreakBefore hook asks for a break, and a later layout that takes the first layout's measured
// text instead of measuring again must give the same bytes. The guides have no hook (their page-break rules are keeps,
// laid out once): the patch leaves them unchanged, and a document laid out again because a keep did not fit a page
// (internals/keeps.ts) is measured again, as stock pdfmake would.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pdfmake from 'pdfmake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, parseDataset } from '../../functions/guide/dataset.ts';
import { allPatchesExcept, PATCH_NAMES, selectPatches } from '../../functions/guide/internals/index.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer, type GuideRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';
import { withSyntheticTargets } from '../support/datasets.ts';
import { countLayoutPasses } from './layout-passes.ts';
import { readPdf } from './pdf-text.ts';

const methods = loadMethodCatalogue(templatesDir());
const samples = readdirSync('data')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));
const load = async (id: string): Promise<Dataset> =>
  (await parseDataset(readFileSync(join('data', `${id}.json`)), { file: id, methods })).dataset;

interface Rendered {
  pdf: Buffer;
  /** Layout passes pdfmake made (tryLayoutDocument calls). */
  layouts: number;
  /** Per pass: pieces of text measured (TextInlines.buildInlines calls; headers, footers and list markers too). */
  measures: number[];
}

let renderer: GuideRenderer;
beforeAll(async () => {
  renderer = await createRenderer();
});
afterAll(() => {
  selectPatches(PATCH_NAMES);
});

/** Renders with exactly these patches, counting layout passes and text measures on top of them. */
async function renderCounting(dataset: Dataset, patches: readonly string[]): Promise<Rendered> {
  selectPatches(patches as typeof PATCH_NAMES);
  try {
    const { result, layouts, measures } = await countLayoutPasses(
      async () => (await renderer.render(dataset)).pdf,
    );
    return { pdf: result, layouts, measures };
  } finally {
    selectPatches(PATCH_NAMES);
  }
}

const withoutRelayout = allPatchesExcept('relayout');

const fontsDir = join(templatesDir(), 'fonts');
const fontFiles = (
  JSON.parse(readFileSync(join(fontsDir, 'fonts.json'), 'utf8')) as { files: Record<string, string> }
).files;

/**
 * A document whose page-break hook, when it moves the node `moved`, also changes what the text measures to: the
 * style of a stack holding paragraphs, a word of a paragraph's text, and a text piece's own style.
 */
async function changingDocument(change: boolean): Promise<Buffer> {
  const styled = { text: 'styled piece ', bold: false };
  const words = ['alpha ', 'beta ', styled, 'gamma'];
  const container: Record<string, unknown> = {
    stack: Array.from({ length: 12 }, (_, i) => ({ text: i === 0 ? words : `Paragraph ${i} of the stack.` })),
  };
  let moved = false;
  pdfmake.setFonts({
    GuideSans: Object.fromEntries(Object.entries(fontFiles).map(([k, f]) => [k, join(fontsDir, f)])),
  });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path: string) => path.startsWith(fontsDir));
  const definition = {
    content: [container, { text: 'The node the hook moves.', id: 'moved' }],
    defaultStyle: { font: 'GuideSans', fontSize: 10 },
    info: { creationDate: new Date('2026-01-01T00:00:00Z') },
    pageBreakBefore: (node: { id?: string }) => {
      if (node.id !== 'moved' || moved) return false;
      moved = true;
      if (change) {
        container['fontSize'] = 14;
        words[1] = 'delta ';
        styled.bold = true;
      }
      return true;
    },
  };
  return pdfmake.createPdf(definition as never).getBuffer() as Promise<Buffer>;
}

/**
 * A document laid out twice, with exactly these patches: its bytes, passes and text measures per pass. A
 * pageBreakBefore hook moves its tall heading once (`hook`), or a keep of that heading with its paragraph does not fit
 * a page (`keep`).
 */
async function renderTwice(
  patches: readonly string[],
  tagged: boolean,
  via: 'hook' | 'keep',
): Promise<Rendered> {
  selectPatches(patches as typeof PATCH_NAMES);
  try {
    pdfmake.setFonts({
      GuideSans: Object.fromEntries(Object.entries(fontFiles).map(([k, f]) => [k, join(fontsDir, f)])),
    });
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy((path: string) => path.startsWith(fontsDir));
    let moved = false;
    const definition = {
      content: [
        ...Array.from({ length: 30 }, (_, i) => ({ text: `Paragraph ${i} before the heading, in words.` })),
        { ul: ['one', 'two', 'three'] },
        { text: 'Tall heading', id: 'tall', ...(via === 'keep' ? { keep: { opens: ['tall'] } } : {}) },
        {
          text: Array.from({ length: 100 }, (_, i) => `Line ${i} of the tall paragraph.`).join('\n'),
          ...(via === 'keep' ? { keep: { closes: ['tall'] } } : {}),
        },
      ],
      defaultStyle: { font: 'GuideSans', fontSize: 10 },
      info: { creationDate: new Date('2026-01-01T00:00:00Z'), title: 'Relayout' },
      ...(tagged ? { tagged: true, subset: 'PDF/UA', version: '1.7' } : {}),
      ...(via === 'hook'
        ? {
            pageBreakBefore: (node: { id?: string }) => {
              if (node.id !== 'tall' || moved) return false;
              moved = true;
              return true;
            },
          }
        : {}),
    };
    const { result, layouts, measures } = await countLayoutPasses(
      async () => (await pdfmake.createPdf(definition as never).getBuffer()) as Buffer,
    );
    return { pdf: result, layouts, measures };
  } finally {
    selectPatches(PATCH_NAMES);
  }
}

describe('the relayout patch', () => {
  it('is one of the patches and drops alone', () => {
    expect(PATCH_NAMES).toContain('relayout');
    expect(withoutRelayout).toEqual(PATCH_NAMES.filter((p) => p !== 'relayout'));
  });

  it('lays levomilnacipran out once, with or without it, to the same bytes', async () => {
    const dataset = await load('levomilnacipran');
    const patched = await renderCounting(dataset, PATCH_NAMES);
    const unpatched = await renderCounting(dataset, withoutRelayout);
    expect(patched.layouts).toBe(1);
    expect(unpatched.layouts).toBe(1);
    expect(Buffer.compare(patched.pdf, unpatched.pdf)).toBe(0);
    const { pages } = await readPdf(patched.pdf);
    expect(pages.join(' ')).toContain('Levomilnacipran');
  }, 60_000);

  // The hook moves a node: pdfmake lays the document out again, and the second pass measures only what is new on
  // every pass (list markers), tagged or not.
  describe.each([true, false])(
    'lays a document out again for its pageBreakBefore hook (tagged: %s)',
    (tagged) => {
      it('without measuring its text again, to the same bytes', async () => {
        const patched = await renderTwice(PATCH_NAMES, tagged, 'hook');
        const unpatched = await renderTwice(withoutRelayout, tagged, 'hook');
        expect(unpatched.layouts).toBe(2);
        expect(patched.layouts).toBe(2);
        const [first, ...later] = patched.measures;
        for (const pass of unpatched.measures.slice(1))
          expect(pass).toBeGreaterThanOrEqual(unpatched.measures[0]! * 0.9);
        for (const pass of later) expect(pass).toBeLessThan(first! / 4);
        expect(Buffer.compare(patched.pdf, unpatched.pdf)).toBe(0);
        const { text } = await readPdf(patched.pdf);
        for (let i = 0; i < 100; i++) expect(text).toContain(`Line ${i} of the tall paragraph.`);
      }, 60_000);
    },
  );

  it('measures again, as stock, a document laid out again because a keep did not fit', async () => {
    const patched = await renderTwice(PATCH_NAMES, true, 'keep');
    const unpatched = await renderTwice(withoutRelayout, true, 'keep');
    expect(patched.layouts).toBe(2);
    expect(patched.measures).toEqual(unpatched.measures);
    expect(Buffer.compare(patched.pdf, unpatched.pdf)).toBe(0);
  }, 60_000);

  it('measures again what changed between layouts (style of a stack, a word, a text piece)', async () => {
    const render = async (patches: readonly string[], change: boolean) => {
      selectPatches(patches as typeof PATCH_NAMES);
      try {
        const { result, layouts } = await countLayoutPasses(() => changingDocument(change));
        return { pdf: result, layouts };
      } finally {
        selectPatches(PATCH_NAMES);
      }
    };
    const patched = await render(PATCH_NAMES, true);
    const unpatched = await render(withoutRelayout, true);
    expect(unpatched.layouts).toBe(2);
    expect(patched.layouts).toBe(2);
    expect(Buffer.compare(patched.pdf, unpatched.pdf)).toBe(0);
    // The change shows in the output: what the second layout measured is not what the first did.
    const text = (await readPdf(patched.pdf)).text;
    expect(text).toContain('alpha delta styled piece gamma');
    expect(Buffer.compare(patched.pdf, (await render(PATCH_NAMES, false)).pdf)).not.toBe(0);
  }, 60_000);

  describe.each(samples)('renders the %s guide byte for byte as without it', (id) => {
    it('the same bytes', async () => {
      const dataset = await load(id);
      const patched = await renderCounting(dataset, PATCH_NAMES);
      const unpatched = await renderCounting(dataset, withoutRelayout);
      expect(patched.layouts).toBe(unpatched.layouts);
      expect(Buffer.compare(patched.pdf, unpatched.pdf)).toBe(0);
    }, 60_000);
  });

  // Synthetic guides from 5 to 60 targets.
  const generatedLayouts: number[] = [];
  describe.each([5, 20, 33, 47, 60])('renders a guide with %i targets byte for byte as without it', (n) => {
    it('through the same layouts, to the same bytes', async () => {
      const dataset = withSyntheticTargets(await load('levomilnacipran'), n);
      const patched = await renderCounting(dataset, PATCH_NAMES);
      const unpatched = await renderCounting(dataset, withoutRelayout);
      generatedLayouts.push(unpatched.layouts);
      expect(patched.layouts).toBe(unpatched.layouts);
      expect(Buffer.compare(patched.pdf, unpatched.pdf)).toBe(0);
    }, 120_000);
  });

  it('each laid out once (their page-break rules are keeps)', () => {
    expect(generatedLayouts).toEqual([1, 1, 1, 1, 1]);
  });
});
