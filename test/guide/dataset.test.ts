// The dataset contract of SPEC §1: one test per rule, each failing if the rule were removed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DatasetInvalid,
  type DatasetIssue,
  isValidCas,
  parseDataset,
} from '../../functions/guide/dataset.ts';
import { suggestUnit } from '../../functions/guide/units.ts';

const methods = new Map([
  ['radioligand-binding', 'binding'],
  ['reuptake', 'functional'],
] as const);
const levo = JSON.parse(readFileSync(new URL('../../data/levomilnacipran.json', import.meta.url), 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: test fixtures are mutated freely
type Json = any;

function clone(): Json {
  return structuredClone(levo);
}

async function issuesOf(input: Json, expectedId = 'levomilnacipran'): Promise<DatasetIssue[]> {
  try {
    await parseDataset(typeof input === 'string' ? input : JSON.stringify(input), {
      file: 'data/levomilnacipran.json',
      methods,
      expectedId,
    });
  } catch (error) {
    if (error instanceof DatasetInvalid) return error.issues;
    throw error;
  }
  return [];
}

async function expectIssue(input: Json, path: string, message: string | RegExp) {
  const issues = await await issuesOf(input);
  const match = issues.find((i) => i.path === path);
  expect(match, `expected an issue at ${path}, got ${JSON.stringify(issues)}`).toBeDefined();
  if (typeof message === 'string') expect(match!.message).toContain(message);
  else expect(match!.message).toMatch(message);
}

describe('a valid dataset', () => {
  it('parses, normalising units and defaulting relations', async () => {
    const d = clone();
    d.targets[2].measurements[0].unit = 'uM';
    d.targets[2].measurements[1].unit = 'μM'; // Greek mu
    const { dataset, warnings } = await parseDataset(JSON.stringify(d), {
      file: 'x',
      methods,
      expectedId: 'levomilnacipran',
    });
    expect(dataset.targets[2]!.measurements.map((m) => m.unit)).toEqual(['µM', 'µM']);
    expect(dataset.targets[0]!.measurements[0]!.relation).toBe('=');
    expect(dataset.targets[0]!.measurements[0]!.value).toEqual({ min: 11, max: 11.2 });
    expect(warnings).toEqual([]);
  });

  it('trims strings and accepts a $schema key and a UTF-8 BOM', async () => {
    const d = clone();
    d.compound.name = '  Levomilnacipran  ';
    const parsed = await parseDataset(`\uFEFF${JSON.stringify(d)}`, { file: 'x', methods });
    expect(parsed.dataset.compound.name).toBe('Levomilnacipran');
    expect(parsed.dataset.$schema).toBe('../schema/dataset.schema.json');
  });
});

describe('field rules', () => {
  it('rejects unknown fields at any depth, naming them', async () => {
    const d = clone();
    d.compound.catalogNumbr = 'x';
    d.targets[1].measurements[0].vlaue = 3;
    const issues = await issuesOf(d);
    expect(issues).toContainEqual({ path: 'compound.catalogNumbr', message: 'unknown field' });
    expect(issues).toContainEqual({ path: 'targets[1].measurements[0].vlaue', message: 'unknown field' });
  });

  it('rejects a __proto__ key as an unknown field without polluting prototypes', async () => {
    const text = JSON.stringify(clone()).replace('{', '{"__proto__":{"polluted":true},');
    expect(await issuesOf(text)).toContainEqual({ path: '__proto__', message: 'unknown field' });
    expect(({} as Json).polluted).toBeUndefined();
  });

  it('requires schemaVersion 1', async () => {
    const d = clone();
    d.schemaVersion = 2;
    await expectIssue(d, 'schemaVersion', 'must be 1');
  });

  it('checks the compound id pattern and that it equals the file stem', async () => {
    const d = clone();
    d.compound.id = 'Levo_milnacipran';
    await expectIssue(d, 'compound.id', 'lower-case');
    const e = clone();
    e.compound.id = 'milnacipran';
    await expectIssue(e, 'compound.id', 'must equal the file name "levomilnacipran"');
  });

  it('bounds names at 200 characters and narrative at 10,000', async () => {
    const d = clone();
    d.compound.name = 'x'.repeat(201);
    await expectIssue(d, 'compound.name', 'at most 200 characters');
    const e = clone();
    e.narrative = { abstract: 'x'.repeat(10_001) };
    await expectIssue(e, 'narrative.abstract', 'at most 10000 characters');
    const f = clone();
    f.narrative = { abstract: 'line one\nline two' };
    expect(await issuesOf(f)).toEqual([]);
  });

  it('rejects empty and control-character strings', async () => {
    const d = clone();
    d.compound.drugClass = '   ';
    await expectIssue(d, 'compound.drugClass', 'must not be empty');
    const e = clone();
    e.targets[0].name = 'SERT\u0007';
    await expectIssue(e, 'targets[0].name', 'control characters');
  });

  it('rejects unknown units with a hint', async () => {
    for (const [unit, hint] of [
      ['nm', 'nM'],
      ['um', 'µM'],
      ['mol', 'M'],
      ['nmol/L', 'nM'],
    ]) {
      const d = clone();
      d.targets[2].measurements[0].unit = unit;
      await expectIssue(
        d,
        'targets[2].measurements[0].unit',
        `unknown unit "${unit}" (did you mean "${hint}"?)`,
      );
    }
    const d = clone();
    d.targets[0].measurements[0].unit = 'kg';
    await expectIssue(d, 'targets[0].measurements[0].unit', 'expected one of pM, nM, µM, mM, M');
  });

  it('requires positive finite values and ordered ranges', async () => {
    const d = clone();
    d.targets[0].measurements[0].value = -1;
    await expectIssue(d, 'targets[0].measurements[0].value', 'greater than 0');
    const e = clone();
    e.targets[0].measurements[0].value = { min: 12, max: 11 };
    await expectIssue(e, 'targets[0].measurements[0].value.max', 'min must not exceed max');
    const f = clone();
    f.targets[0].measurements[0].value = { min: 12 };
    await expectIssue(f, 'targets[0].measurements[0].value.max', 'is required');
    const g = JSON.stringify(clone()).replace('"value":1.7', '"value":1e400');
    await expectIssue(g, 'targets[2].measurements[0].value', 'not finite');
    const h = clone();
    h.targets[0].measurements[0].value = 'eleven';
    await expectIssue(
      h,
      'targets[0].measurements[0].value',
      'expected a positive number or {"min", "max"}, got a string',
    );
  });

  it('allows qualifiers only on single values', async () => {
    const d = clone();
    d.targets[2].measurements[0].relation = '>';
    expect(await issuesOf(d)).toEqual([]);
    d.targets[0].measurements[0].relation = '<';
    await expectIssue(d, 'targets[0].measurements[0].value', 'must be a single number');
    const e = clone();
    e.targets[0].measurements[0].relation = '>=';
    await expectIssue(e, 'targets[0].measurements[0].relation', 'must be one of');
  });

  it('checks measurement types, roles and counts', async () => {
    const d = clone();
    d.targets[0].measurements[0].type = 'ki';
    await expectIssue(d, 'targets[0].measurements[0].type', 'Ki, Kd, IC50, EC50');
    const e = clone();
    e.targets[0].role = 'secondary';
    await expectIssue(e, 'targets[0].role', '"primary" or "off-target"');
    const f = clone();
    f.targets[0].measurements = [];
    await expectIssue(f, 'targets[0].measurements', 'at least one measurement');
    const g = clone();
    g.targets = [];
    await expectIssue(g, 'targets', 'at least one target');
    const h = clone();
    h.targets = Array.from({ length: 501 }, (_, i) => ({ ...levo.targets[2], name: `T${i}` }));
    await expectIssue(h, 'targets', 'at most 500');
  });

  it('checks identifiers, including the CAS check digit', async () => {
    expect(isValidCas('116539-59-4')).toBe(true);
    expect(isValidCas('116539-59-5')).toBe(false);
    const d = clone();
    d.compound.identifiers = { cas: '116539-59-5' };
    await expectIssue(d, 'compound.identifiers.cas', 'check digit');
    const e = clone();
    e.compound.identifiers = { chembl: 'CHEMBL', pubchemCid: 1.5, inchiKey: 'abc' };
    await expectIssue(e, 'compound.identifiers.chembl', 'CHEMBL123');
    await expectIssue(e, 'compound.identifiers.pubchemCid', 'integer');
    await expectIssue(e, 'compound.identifiers.inchiKey', 'InChIKey');
  });

  it('requires an ISO calendar date', async () => {
    for (const bad of ['2025-13-01', '2025-02-30', '01/12/2025', '2025-12-1']) {
      const d = clone();
      d.reviewedAt = bad;
      await expectIssue(d, 'reviewedAt', /ISO date|calendar date/);
    }
  });

  it('checks reference fields', async () => {
    const d = clone();
    d.references[0].url = 'javascript:alert(1)';
    d.references[1].doi = 'doi:10.1/x';
    d.references[1].pmid = 'PMID123';
    await expectIssue(d, 'references[0].url', 'http(s) URL');
    await expectIssue(d, 'references[1].doi', '10.1234/abc');
    await expectIssue(d, 'references[1].pmid', 'digits only');
  });
});

describe('cross-field rules', () => {
  it('every refs key exists in references', async () => {
    const d = clone();
    d.targets[1].measurements[1].refs = ['auclair2013', 'nope'];
    await expectIssue(d, 'targets[1].measurements[1].refs[1]', 'unknown reference "nope"');
    const e = clone();
    e.panel.refs = ['missing'];
    await expectIssue(e, 'panel.refs[0]', 'unknown reference "missing"');
  });

  it('every assay is listed in methods, and every method exists in the library', async () => {
    const d = clone();
    d.methods = ['radioligand-binding'];
    await expectIssue(d, 'targets[0].measurements[1].assay', 'method "reuptake" is not listed in "methods"');
    const e = clone();
    e.methods.push('patch-clamp');
    await expectIssue(e, 'methods[2]', 'unknown method "patch-clamp"');
  });

  it('target names and reference keys are unique', async () => {
    const d = clone();
    d.targets[1].name = 'human serotonin transporter';
    await expectIssue(d, 'targets[1].name', 'duplicate target name');
    const e = clone();
    e.references[2].key = 'wikipedia';
    await expectIssue(e, 'references[2].key', 'duplicate key "wikipedia"');
  });

  it('warns about references never cited', async () => {
    const d = clone();
    d.references.push({ key: 'orphan', title: 'Never cited' });
    const { warnings } = await parseDataset(JSON.stringify(d), { file: 'x', methods });
    expect(warnings).toEqual([{ path: 'references[4]', message: 'reference "orphan" is never cited' }]);
  });

  it('warns when an IC50 is below the Ki of the same target in the same binding assay', async () => {
    const d = clone();
    // NMDA: Ki 1.7 µM and IC50 4.57–5.62 µM in one binding assay. Make the IC50 0.5 µM.
    d.targets[2].measurements[1].value = 0.5;
    const { warnings } = await parseDataset(JSON.stringify(d), { file: 'x', methods });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.path).toBe('targets[2].measurements[1]');
    expect(warnings[0]!.message).toContain('Cheng–Prusoff');
    // The seed's NET IC50 (10.5–11 nM) is below its Ki (91–92.2 nM) but from a different assay: no warning.
    expect((await parseDataset(JSON.stringify(clone()), { file: 'x', methods })).warnings).toEqual([]);
  });
});

describe('bad files', () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    ['not JSON', 'hello', /not valid JSON \(syntax error at line 1, column 1\)/],
    ['truncated JSON', '{"schemaVersion": 1,', /not valid JSON/],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), /not valid UTF-8/],
    ['empty', '', /file is empty/],
    ['an array', '[]', /expected a JSON object at the top level, got an array/],
    ['over 1 MiB', `{"x":"${'a'.repeat(1024 * 1024)}"}`, /limit is 1048576/],
    ['deeply nested', `${'['.repeat(200_000)}${']'.repeat(200_000)}`, /.+/],
  ];
  for (const [name, input, message] of cases) {
    it(`reports ${name} in one line without a path`, async () => {
      let caught: unknown;
      try {
        await parseDataset(input, { file: 'data/x.json', methods });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DatasetInvalid);
      const issues = (caught as DatasetInvalid).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe('');
      expect(issues[0]!.message).toMatch(message);
      expect((caught as Error).message).toMatch(/^data\/x\.json: /);
    });
  }

  it('reports a 50,000-character string as too long, with its path', async () => {
    const d = clone();
    d.targets[0].class = 'x'.repeat(50_000);
    await expectIssue(d, 'targets[0].class', 'at most 200 characters');
  });
});

describe('unit hints', () => {
  it('suggests the canonical unit for near-misses only', async () => {
    expect(suggestUnit('NM')).toBe('nM');
    expect(suggestUnit('µm')).toBe('µM');
    expect(suggestUnit('micromolar')).toBe('µM');
    expect(suggestUnit('kg')).toBeUndefined();
  });
});

describe('duplicate keys, absurd magnitudes and invisible characters (issue 15)', () => {
  it('refuses a key given twice in one object, naming the key and its path, at any depth', async () => {
    const text = JSON.stringify(clone())
      .replace('"unit":"nM"', '"unit":"nm","unit":"nM"')
      .replace('"schemaVersion":1', '"schemaVersion":1,"schemaVersion":1');
    const issues = await issuesOf(text);
    expect(issues).toEqual([
      {
        path: 'schemaVersion',
        message: expect.stringMatching(
          /^duplicate key "schemaVersion" at line 1, column \d+ \(JSON would keep only the last; remove one\)$/,
        ),
      },
      {
        path: 'targets[0].measurements[0].unit',
        message: expect.stringMatching(/^duplicate key "unit" at line 1/),
      },
    ]);
    // The same key in sibling objects is no duplicate.
    expect(await issuesOf(clone())).toEqual([]);
  });

  it('reports a syntax error by line and column without quoting the content', async () => {
    const secret = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1';
    const issues = await issuesOf(secret);
    expect(issues).toEqual([{ path: '', message: 'not valid JSON (syntax error at line 1, column 1)' }]);
    const later = await issuesOf('{\n  "schemaVersion": 1,\n  "compound": {"id": tru}\n}');
    expect(later).toEqual([{ path: '', message: 'not valid JSON (syntax error at line 3, column 22)' }]);
    expect(JSON.stringify(await issuesOf(`{"a": 1} password=hunter2`))).not.toContain('hunter2');
  });

  it('refuses values below 1 fM or above 1 M after unit conversion, naming the path', async () => {
    const tiny = clone();
    tiny.targets[0].measurements[0].value = 5e-324;
    await expectIssue(
      tiny,
      'targets[0].measurements[0].value',
      /below 1 fM: outside the physically meaningful range/,
    );
    const huge = clone();
    huge.targets[1].measurements[0].value = { min: 1, max: 2e9 };
    huge.targets[1].measurements[0].unit = 'nM';
    await expectIssue(huge, 'targets[1].measurements[0].value.max', /above 1 M/);
    const ligand = clone();
    ligand.targets[0].measurements[0].conditions = {
      radioligandConcentration: { value: 5, unit: 'M' },
    };
    await expectIssue(
      ligand,
      'targets[0].measurements[0].conditions.radioligandConcentration.value',
      /above 1 M/,
    );
    // The edges themselves are physical: 1 fM and 1 M pass.
    const edges = clone();
    edges.targets[0].measurements[0].value = 0.001;
    edges.targets[0].measurements[0].unit = 'pM';
    edges.targets[1].measurements[0].value = 1;
    edges.targets[1].measurements[0].unit = 'M';
    const paths = (await issuesOf(edges)).map((i) => i.path);
    expect(
      paths.filter(
        (p) => p.startsWith('targets[0].measurements[0]') || p.startsWith('targets[1].measurements[0]'),
      ),
    ).toEqual([]);
  });

  it('refuses bidi controls and zero-width characters in any text, naming the code point', async () => {
    for (const [char, hex] of [
      ['\u202e', '202E'],
      ['\u200b', '200B'],
      ['\u2066', '2066'],
      ['\ufeff', 'FEFF'],
    ]) {
      const d = clone();
      d.compound.name = `Levo${char}milnacipran`;
      d.targets[0].name = `SE${char}RT`;
      await expectIssue(d, 'compound.name', `invisible formatting character U+${hex}`);
      await expectIssue(d, 'targets[0].name', `U+${hex}`);
    }
  });
});
