// Ahead-of-time work on the renderer (startup snapshot, Lambda code cache) runs the code on this made-up compound,
// never on real data, so what a build keeps is code and template state, not a dataset.
/**
 * A made-up compound touching every part of the guide (ranges, qualifiers, Cheng–Prusoff, panel, all methods), as
 * the dataset file `warm-up.json`; `withStructure` adds a SMILES (RDKit is WebAssembly, which a startup snapshot
 * cannot hold, so the snapshot's warm-up goes without).
 */
export function warmUpDataset(
  methodIds: Iterable<string>,
  options: { withStructure?: boolean } = {},
): Buffer {
  const methods = [...methodIds];
  const measurement = (type: string, value: unknown, unit: string, extra: object = {}) => ({
    type,
    value,
    unit,
    assay: methods[0],
    refs: ['warmup1'],
    ...extra,
  });
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 1,
      compound: {
        id: 'warm-up',
        name: 'Warmupine',
        drugClass: 'made-up reference compound',
        indication: 'none',
        synonyms: ['WU-1'],
        identifiers: { cas: '50-00-0' },
        ...(options.withStructure ? { smiles: 'CCN(CC)C(=O)C1(CC1CN)c1ccccc1' } : {}),
      },
      targets: [
        {
          name: 'Warm-up Receptor Alpha',
          abbreviation: 'WRA',
          class: 'Made-up class',
          role: 'primary',
          measurements: [
            measurement('Ki', { min: 1.5, max: 2 }, 'nM'),
            measurement('IC50', 3, 'nM', {
              conditions: {
                radioligand: '[\u00b3H]warmup',
                radioligandConcentration: { value: 1, unit: 'nM' },
                radioligandKd: { value: 2, unit: 'nM' },
              },
            }),
          ],
        },
        {
          name: 'Warm-up Receptor Beta',
          class: 'Made-up class',
          role: 'off-target',
          measurements: [
            measurement('Ki', 10, '\u00b5M', { relation: '>' }),
            measurement('IC50', 0.4, '\u00b5M'),
          ],
        },
      ],
      panel: {
        count: 3,
        families: ['made-up'],
        threshold: { value: 10, unit: '\u00b5M' },
        refs: ['warmup1'],
      },
      methods,
      references: [
        { key: 'warmup1', title: 'Warm-up', source: 'None', url: 'https://example.org/', year: 2000 },
      ],
      reviewedAt: '2000-01-01',
    }),
  );
}
