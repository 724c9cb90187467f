// Reference numbering: numbered in order of first citation as the guide is read; uncited references follow.
import type { Reference } from './dataset.ts';

export interface NumberedReference {
  number: number;
  reference: Reference;
}

export class Citations {
  private readonly numbers = new Map<string, number>();

  constructor(private readonly references: readonly Reference[]) {}

  /** Numbers for these keys, assigning new numbers to keys seen for the first time. */
  cite(keys: readonly string[]): number[] {
    const out: number[] = [];
    for (const key of keys) {
      let n = this.numbers.get(key);
      if (n === undefined) {
        n = this.numbers.size + 1;
        this.numbers.set(key, n);
      }
      if (!out.includes(n)) out.push(n);
    }
    return out;
  }

  /** `[1][2][3]` for in-text use. */
  marks(keys: readonly string[]): string {
    return this.cite(keys)
      .map((n) => `[${n}]`)
      .join('');
  }

  /** Every reference in number order; references never cited are numbered after the cited ones. */
  list(): NumberedReference[] {
    this.cite(this.references.map((r) => r.key).filter((key) => !this.numbers.has(key)));
    const byKey = new Map(this.references.map((r) => [r.key, r]));
    return [...this.numbers].map(([key, number]) => ({ number, reference: byKey.get(key)! }));
  }
}
