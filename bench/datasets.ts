// Synthetic but valid datasets for benchmarks: deterministic (seeded), varied in size, units, ranges and panels.

function prng(seed: number): () => number {
  // mulberry32: small, fast, and the same sequence on every machine.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASSES = [
  'Monoamine Transporter',
  'G Protein-Coupled Receptor',
  'Ionotropic Glutamate Receptor',
  'Ion Channel',
];
const TARGETS = [
  'Serotonin Transporter',
  'Norepinephrine Transporter',
  'Dopamine Transporter',
  '5-HT2A Receptor',
  'α1-Adrenergic Receptor',
  'β2-Adrenergic Receptor',
  'Histamine H1 Receptor',
  'Muscarinic M1 Receptor',
  'Dopamine D2 Receptor',
  'NMDA Receptor',
  'Sigma-1 Receptor',
  'hERG Channel',
];
const UNITS = ['pM', 'nM', 'µM', 'nM', 'nM'];

/** The dataset file for synthetic compound number `index`, as the bytes a curator would save. */
export function syntheticDataset(index: number): Buffer {
  const random = prng(index + 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const value = () => Math.round((0.5 + random() * 900) * 100) / 100;
  const id = `synthetic-${String(index).padStart(5, '0')}`;
  const targetCount = 2 + Math.floor(random() * 6);
  const names = [...TARGETS].sort(() => random() - 0.5).slice(0, targetCount);
  const targets = names.map((name, i) => {
    const v = value();
    const ranged = random() < 0.4;
    return {
      name: `Human ${name}`,
      class: pick(CLASSES),
      role: i < 2 ? 'primary' : 'off-target',
      measurements: [
        {
          type: 'Ki',
          value: ranged ? { min: v, max: Math.round(v * 1.1 * 100) / 100 } : v,
          unit: pick(UNITS),
          assay: 'radioligand-binding',
          refs: ['ref1'],
        },
        ...(random() < 0.5
          ? [{ type: 'IC50', value: value(), unit: 'nM', assay: 'reuptake', refs: ['ref2'] }]
          : []),
      ],
    };
  });
  const dataset = {
    schemaVersion: 1,
    compound: {
      id,
      name: `Compound ${index}`,
      drugClass: 'investigational reuptake inhibitor',
      indication: 'research use',
    },
    targets,
    ...(random() < 0.5
      ? {
          panel: {
            count: 10 + Math.floor(random() * 40),
            families: ['dopaminergic', 'muscarinic'],
            refs: ['ref1'],
          },
        }
      : {}),
    methods: ['radioligand-binding', 'reuptake'],
    references: [
      {
        key: 'ref1',
        title: `Binding profile of compound ${index}`,
        source: 'Synthetic',
        year: 2020 + (index % 6),
      },
      { key: 'ref2', title: `Uptake inhibition by compound ${index}`, source: 'Synthetic', year: 2021 },
    ],
    reviewedAt: '2025-12-01',
  };
  return Buffer.from(`${JSON.stringify(dataset, null, 2)}\n`);
}
