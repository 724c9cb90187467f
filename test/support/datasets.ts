// Datasets the guide tests build from a sample: shapes the samples do not have.
import type { Dataset } from '../../functions/guide/dataset.ts';

/** `base` with `count` targets (2 primary), Ki 7.5 nM apart, citing its references in turn. */
export function withSyntheticTargets(base: Dataset, count: number): Dataset {
  return {
    ...base,
    targets: Array.from({ length: count }, (_, i) => ({
      name: `Synthetic Receptor ${String(i + 1).padStart(2, '0')}`,
      class: 'Synthetic class',
      role: i < 2 ? ('primary' as const) : ('off-target' as const),
      measurements: [
        {
          type: 'Ki' as const,
          relation: '=' as const,
          value: (i + 1) * 7.5,
          unit: 'nM' as const,
          assay: 'radioligand-binding',
          refs: [base.references[i % base.references.length]!.key],
        },
      ],
    })),
  };
}

/** `base` with 60 targets: Table 1 and the selectivity table span pages. */
export function withSixtyTargets(base: Dataset): Dataset {
  return withSyntheticTargets(base, 60);
}
