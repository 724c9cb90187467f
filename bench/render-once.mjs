// One cold render: a fresh process loads the guide bundle, renders levomilnacipran and reports the PDF's size.
import { readFileSync } from 'node:fs';
import { createRenderer, loadMethodCatalogue, parseDataset, templatesDir } from '../dist/guide.js';

const file = new URL('../data/levomilnacipran.json', import.meta.url);
const { dataset } = await parseDataset(readFileSync(file), {
  file: 'data/levomilnacipran.json',
  methods: loadMethodCatalogue(templatesDir()),
});
const renderer = await createRenderer();
const { pdf, pages } = await renderer.render(dataset);
process.stdout.write(
  `${JSON.stringify({ bytes: pdf.length, pages, head: pdf.subarray(0, 5).toString('latin1') })}\n`,
);
