// RDKit's WebAssembly takes a noticeable time to start: datasets and guides without a SMILES must never start it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rdkitStarted, rdkitWasmPath } from '../../functions/chemistry/rdkit.ts';
import { parseDataset } from '../../functions/guide/dataset.ts';
import { loadMethodCatalogue } from '../../functions/guide/methods.ts';
import { createRenderer } from '../../functions/guide/render.ts';
import { templatesDir } from '../../functions/paths.ts';

const methods = loadMethodCatalogue(templatesDir());

function sample(id: string, keepStructure: boolean): string {
  const d = JSON.parse(readFileSync(`data/${id}.json`, 'utf8'));
  if (!keepStructure) {
    delete d.compound.smiles;
    delete d.compound.formula;
    delete d.compound.molecularWeight;
  }
  return JSON.stringify(d);
}

describe('RDKit starts on first need', () => {
  it('not for validating and rendering guides without a SMILES; then for the first one with', async () => {
    const renderer = await createRenderer();
    for (const id of ['levomilnacipran', 'duloxetine', 'venlafaxine']) {
      const { dataset } = await parseDataset(sample(id, false), { file: id, methods });
      await renderer.render(dataset);
    }
    expect(rdkitStarted()).toBe(false);
    await parseDataset(sample('levomilnacipran', true), { file: 'levomilnacipran', methods });
    expect(rdkitStarted()).toBe(true);
  });

  it('reads its .wasm from the installed package when no bundle put one beside the code', () => {
    expect(rdkitWasmPath()).toMatch(/node_modules\/@rdkit\/rdkit\/dist\/RDKit_minimal\.wasm$/);
  });
});
