// Test helper: how pdfmake laid a document out, counted from its own classes while `work` runs.
import { LayoutBuilderClass, TextInlinesClass } from '../../functions/guide/internals/classes.ts';

export interface LayoutPasses<T> {
  result: T;
  /** Layout passes pdfmake made (tryLayoutDocument calls). */
  layouts: number;
  /** Per pass: pieces of text measured (TextInlines.buildInlines calls; headers, footers and list markers too). */
  measures: number[];
}

/** Runs `work`, counting pdfmake's layout passes and the text measured in each; the classes are as before after. */
export async function countLayoutPasses<T>(work: () => Promise<T>): Promise<LayoutPasses<T>> {
  const builder = LayoutBuilderClass.prototype;
  const inlines = TextInlinesClass.prototype as unknown as { buildInlines(...args: unknown[]): unknown };
  const { tryLayoutDocument } = builder;
  const { buildInlines } = inlines;
  const measures: number[] = [];
  builder.tryLayoutDocument = function (...args) {
    measures.push(0);
    return tryLayoutDocument.apply(this, args);
  };
  inlines.buildInlines = function (...args) {
    if (measures.length) measures[measures.length - 1]!++;
    return buildInlines.apply(this, args);
  };
  try {
    const result = await work();
    return { result, layouts: measures.length, measures };
  } finally {
    builder.tryLayoutDocument = tryLayoutDocument;
    inlines.buildInlines = buildInlines;
  }
}
