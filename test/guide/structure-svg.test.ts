// RDKit's drawings go through the figure drawer (parsed once into PDF operators) instead of svg-to-pdfkit on every
// render: the page must look exactly as svg-to-pdfkit would draw it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pdfmake from 'pdfmake';
import { describe, expect, it } from 'vitest';
import { drawStructure } from '../../functions/chemistry/structure.ts';
import { installInternals, selectPatches } from '../../functions/guide/internals/index.ts';
import { parseRdkitSvg } from '../../functions/guide/structure-svg.ts';
import { templatesDir } from '../../functions/paths.ts';

const fonts = join(templatesDir(), 'fonts');
const palette = { skeleton: '#1C2833', elements: { N: '#2450A0', O: '#C0392B', S: '#A07800' } };

const fontFiles = {
  normal: join(fonts, 'GuideSans-Regular.ttf'),
  bold: join(fonts, 'GuideSans-Bold.ttf'),
  italics: join(fonts, 'GuideSans-Italic.ttf'),
  bolditalics: join(fonts, 'GuideSans-BoldItalic.ttf'),
};

async function pageOf(svg: string): Promise<Buffer> {
  installInternals(Object.values(fontFiles));
  selectPatches(['figure-drawing']);
  pdfmake.setFonts({ GuideSans: fontFiles });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => path.startsWith(fonts));
  const pdf = await pdfmake
    .createPdf({
      content: [{ svg, width: 190, height: 132 }],
      defaultStyle: { font: 'GuideSans' },
      info: { creationDate: new Date(0) },
    })
    .getBuffer();
  const dir = mkdtempSync(join(tmpdir(), 'structure-svg-'));
  try {
    writeFileSync(join(dir, 'p.pdf'), pdf);
    return execFileSync('pdftoppm', [
      '-gray',
      '-r',
      '150',
      '-f',
      '1',
      '-l',
      '1',
      '-W',
      '600',
      '-H',
      '450',
      join(dir, 'p.pdf'),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('RDKit drawings in the PDF', () => {
  for (const smiles of ['CCN(CC)C(=O)[C@]1(C[C@H]1CN)c1ccccc1', 'CNCC[C@@H](c1cccs1)Oc1cccc2ccccc12.Cl']) {
    it(`draws ${smiles} pixel for pixel as svg-to-pdfkit does`, async () => {
      const svg = await drawStructure(smiles, palette, { width: 190, height: 132 });
      expect(parseRdkitSvg(svg)).toBeDefined();
      // An empty group is outside the drawer's subset: that copy goes to svg-to-pdfkit, and draws the same.
      const stock = svg.replace('</svg>', '<g></g></svg>');
      expect(parseRdkitSvg(stock)).toBeUndefined();
      const [fast, slow] = [await pageOf(svg), await pageOf(stock)];
      expect(fast.equals(slow)).toBe(true);
      // And the page is not blank: the molecule is there.
      const inked = fast.filter((v) => v < 128).length;
      expect(inked).toBeGreaterThan(500);
    });
  }

  it('declines SVG that is not RDKit’s or uses paint it does not know', () => {
    expect(parseRdkitSvg('<svg width="10pt" height="10pt" viewBox="0 0 10 10"></svg>')).toBeUndefined();
    const rdkit =
      "<svg xmlns:rdkit='http://www.rdkit.org/xml' width='10px' height='10px' viewBox='0 0 10 10'>";
    expect(
      parseRdkitSvg(`${rdkit}<path d='M 0,0 L 5,5' style='stroke:#000000;stroke-opacity:0.5'/></svg>`),
    ).toBeUndefined();
    expect(
      parseRdkitSvg(`${rdkit}<path d='M 0,0 A 1 1 0 0 0 5,5' style='stroke:#000000'/></svg>`),
    ).toBeUndefined();
    expect(parseRdkitSvg(`${rdkit}<text x='1' y='1'>N</text></svg>`)).toBeUndefined();
    const ok = parseRdkitSvg(`${rdkit}<path d='M 0,0 Q 5 5, 10 0 Z' fill='#FF0000'/></svg>`);
    expect(ok?.steps).toEqual(['/DeviceRGB cs 1 0 0 scn 0 0 m 3.333 3.333 6.667 3.333 10 0 c h f']);
  });
});
