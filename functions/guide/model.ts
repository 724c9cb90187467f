// The guide's view model: everything the templates print, already worded and formatted. Pure: data in, strings out.
import type { Brand } from './brand.ts';
import { Citations } from './citations.ts';
import { type Dataset, type Measurement, rangeOf, type Target } from './dataset.ts';
import {
  formatDerived,
  formatFold,
  formatLongDate,
  formatMeasurement,
  formatPKi,
  formatQuantity,
  joinList,
} from './format.ts';
import { type MethodDescription, withCompound } from './method-library.ts';
import type { CompoundStructure } from '../chemistry/structure.ts';
import { type StructureFacts, structureFacts } from './structure.ts';
import { geometricMean, type Relation, type SelectivityRow, selectivityOf } from './selectivity.ts';
import { toMolar } from './units.ts';

export interface TableTargetRow {
  name: string;
  ki: string;
  ic50: string;
  targetClass: string;
  refs: string;
}

export interface SelectivityView {
  referenceName: string;
  rows: { name: string; role: string; basis: string; affinity: string; pKi: string; fold: string }[];
  hasCalculated: boolean;
}

export interface GuideModel {
  title: string;
  compoundName: string;
  drugClass: string;
  facts: { label: string; value: string }[];
  /** Formula, molecular weight and InChIKey computed from the SMILES, when the dataset gives one. */
  structure?: StructureFacts;
  date: string;
  reviewedAt: string;
  year: string;
  abstract: string[];
  tableIntro: string;
  groups: { label: string; rows: TableTargetRow[] }[];
  panel?: { label: string; note: string; refs: string };
  panelText?: string;
  tableCaption: string;
  selectivity?: SelectivityView;
  methods: {
    title: string;
    intro: string;
    steps: { lead: string; text: string }[];
    chengPrusoff: boolean;
    chengPrusoffConditions?: string;
  }[];
  methodsIntro: string;
  conclusion: string[];
  references: { number: string; title: string; detail: string; url?: string }[];
  citation: string;
  keywords: string;
  subject: string;
  /** Figure inputs, drawn by figures.ts; captions live here with the words. */
  figures: {
    workflowCaption: string;
    interactionsCaption: string;
    workflowSteps: string[];
    interactions: InteractionEdge[];
    panelNode?: string;
  };
}

export type AffinityClass = 'high' | 'moderate' | 'low' | 'none';

export interface InteractionEdge {
  target: string;
  role: Target['role'];
  label: string;
  affinityClass: AffinityClass;
}

/** Name as printed: `Human Serotonin Transporter (SERT)`, `NMDA Receptor (dizocilpine site)`. */
export function targetLabel(t: Target): string {
  const extra = [t.abbreviation, t.site].filter(Boolean).join('; ');
  return extra ? `${t.name} (${extra})` : t.name;
}

function shortLabel(t: Target): string {
  return t.abbreviation ?? t.name;
}

function measurementLines(ms: Measurement[], types: Measurement['type'][]): string {
  return ms
    .filter((m) => types.includes(m.type))
    .map((m) => (m.type === types[0] ? formatMeasurement(m) : `${m.type} ${formatMeasurement(m)}`))
    .join('\n');
}

/** A qualifier seen from the other side of −log10: Ki > x means pKi < −log10 x. */
function invert(relation: Relation): string {
  if (relation === '>') return '< ';
  if (relation === '<') return '> ';
  if (relation === '~') return '~ ';
  return '';
}

function qualifier(relation: Relation): string {
  return relation === '=' ? '' : `${relation} `;
}

/** Affinity classes for Figure 2's edges, by the molar affinity. */
export function affinityClassOf(molar: number | undefined): AffinityClass {
  if (molar === undefined) return 'none';
  if (molar < 100e-9) return 'high';
  if (molar < 1e-6) return 'moderate';
  if (molar < 10e-6) return 'low';
  return 'none';
}

function affinityText(row: SelectivityRow): string {
  const a = row.affinity!;
  if (a.calculated) {
    const { min, max, unit } = a.calculated;
    const value = min === max ? formatDerived(min) : `${formatDerived(min)}\u2013${formatDerived(max)}`;
    return `${qualifier(a.relation)}${value} ${unit}`;
  }
  return formatMeasurement(a.source);
}

export function buildModel(
  dataset: Dataset,
  brand: Brand,
  library: ReadonlyMap<string, MethodDescription>,
  structure?: CompoundStructure,
): GuideModel {
  const { compound } = dataset;
  const name = compound.name;
  const citations = new Citations(dataset.references);
  const primary = dataset.targets.filter((t) => t.role === 'primary');
  const offTarget = dataset.targets.filter((t) => t.role === 'off-target');
  const ordered = [...primary, ...offTarget];

  // Citations are numbered as the reader meets them: table rows in order, then the panel.
  const row = (t: Target): TableTargetRow => ({
    name: targetLabel(t),
    ki: measurementLines(t.measurements, ['Ki', 'Kd']) || '\u2014',
    ic50: measurementLines(t.measurements, ['IC50', 'EC50']) || '\u2014',
    targetClass: t.class,
    refs: citations.marks(t.measurements.flatMap((m) => m.refs)),
  });
  const groups = [
    { label: 'Primary targets', rows: primary.map(row) },
    { label: 'Off-target receptors', rows: offTarget.map(row) },
  ].filter((g) => g.rows.length > 0);

  const panel = dataset.panel;
  const panelRefs = panel ? citations.marks(panel.refs) : '';
  const threshold = panel?.threshold ? ` at concentrations up to ${formatQuantity(panel.threshold)}` : '';
  const panelView = panel && {
    label: `Various other receptors (n = ${panel.count})`,
    note: `\u2014 no significant affinity${panel.threshold ? ` (\u2265 ${formatQuantity(panel.threshold)})` : ''}`,
    refs: panelRefs,
  };
  const families = panel?.families?.length ? `, including ${joinList(panel.families)} receptor subtypes` : '';
  const panelText =
    panel &&
    `${name} showed no significant affinity for a panel of ${panel.count} other receptors${families}${threshold}.${panelRefs}`;

  const cpAssays = new Set([...library.values()].filter((m) => m.chengPrusoff).map((m) => m.id));
  const selectivity = selectivityOf(ordered, cpAssays);
  const reference = selectivity.reference;
  const selectivityView: SelectivityView | undefined = reference && {
    referenceName: targetLabel(reference.target),
    rows: selectivity.rows.map((r) => ({
      name: targetLabel(r.target),
      role: r.target.role === 'primary' ? 'Primary' : 'Off-target',
      basis: r.affinity?.basis ?? 'no Ki or Kd',
      affinity: r.affinity ? affinityText(r) : '\u2014',
      pKi: r.pKi === undefined ? '\u2014' : `${invert(r.affinity!.relation)}${formatPKi(r.pKi)}`,
      fold:
        r === reference
          ? '1 (reference)'
          : r.fold === undefined
            ? '\u2014'
            : `${qualifier(r.foldRelation)}${formatFold(r.fold)}`,
    })),
    hasCalculated: selectivity.rows.some((r) => r.affinity?.calculated),
  };

  const primaryPhrases = primary.map((t) => {
    const ki = t.measurements.find((m) => m.type === 'Ki' || m.type === 'Kd');
    const any = ki ?? t.measurements[0]!;
    return `the ${targetLabel(t)} (${any.type} ${formatMeasurement(any)})`;
  });
  const offRows = selectivity.rows.filter((r) => r.target.role === 'off-target' && r.fold !== undefined);
  const strongest = offRows.sort((a, b) => a.affinity!.molar - b.affinity!.molar)[0];
  const strongestSentence =
    strongest && reference
      ? `The strongest off-target interaction measured is at the ${targetLabel(strongest.target)} (${strongest.affinity!.basis} ${affinityText(strongest)}), ${qualifier(strongest.foldRelation)}${formatFold(strongest.fold!)}-fold weaker than at the ${shortLabel(reference.target)}.`
      : offTarget.length > 0
        ? `Off-target data are reported for ${joinList(offTarget.map(targetLabel))}.`
        : '';
  const panelSentence = panel
    ? `A panel of ${panel.count} further receptors showed no significant affinity${threshold}.`
    : '';

  const methods = dataset.methods.map((id) => library.get(id)!);
  const abstract = dataset.narrative?.abstract
    ? dataset.narrative.abstract.split(/\n\s*\n/)
    : [
        [
          `${name} is a ${compound.drugClass}${compound.indication ? ` indicated for ${compound.indication}` : ''}.`,
          primary.length > 0 ? `Its primary targets are ${joinList(primaryPhrases)}.` : '',
          strongestSentence,
          panelSentence,
          `This guide summarises the quantitative binding data, derives selectivity and pKi values, details the ${joinList(methods.map((m) => m.title.toLowerCase()))} methods behind them, and visualises the assay workflow and the interaction profile.`,
        ]
          .filter(Boolean)
          .join(' '),
      ];

  const conclusion = dataset.narrative?.conclusion
    ? dataset.narrative.conclusion.split(/\n\s*\n/)
    : [
        [
          reference
            ? `Of its primary targets, ${name} binds the ${targetLabel(reference.target)} most potently (pKi ${formatPKi(reference.pKi!)}).`
            : `${name}'s binding data are summarised in Table 1.`,
          strongestSentence,
          panelSentence,
          'These values come from in vitro assays under the conditions cited; selectivity in vivo also depends on exposure, and the cited sources should be consulted before relying on a single figure.',
        ]
          .filter(Boolean)
          .join(' '),
      ];

  const title = `Off-Target Binding Profile of ${name}: A Technical Guide`;
  const references = citations.list().map(({ number, reference: r }) => ({
    number: `${number}.`,
    title: r.title,
    detail: [
      r.source,
      r.year === undefined ? undefined : String(r.year),
      r.pmid && `PMID ${r.pmid}`,
      r.doi && `doi:${r.doi}`,
    ]
      .filter(Boolean)
      .join(' \u00b7 '),
    url: r.url,
  }));

  const facts = [
    { label: 'Drug class', value: compound.drugClass },
    compound.indication && { label: 'Indication', value: compound.indication },
    compound.synonyms?.length && { label: 'Synonyms', value: compound.synonyms.join(', ') },
    compound.catalogNumber && { label: 'Catalogue no.', value: compound.catalogNumber },
    compound.identifiers?.cas && { label: 'CAS', value: compound.identifiers.cas },
    compound.identifiers?.chembl && { label: 'ChEMBL', value: compound.identifiers.chembl },
    compound.identifiers?.pubchemCid !== undefined && {
      label: 'PubChem CID',
      value: String(compound.identifiers.pubchemCid),
    },
    // With a SMILES the InChIKey is computed (and a stated one was checked against it): printed with the structure.
    !structure &&
      compound.identifiers?.inchiKey && { label: 'InChIKey', value: compound.identifiers.inchiKey },
  ].filter((f): f is { label: string; value: string } => Boolean(f));

  const year = dataset.reviewedAt.slice(0, 4);
  return {
    title,
    compoundName: name,
    drugClass: compound.drugClass,
    facts,
    structure: structure && structureFacts(structure),
    date: formatLongDate(dataset.reviewedAt),
    reviewedAt: dataset.reviewedAt,
    year,
    abstract,
    tableIntro: `${name}'s binding profile has been characterised in vitro. Table 1 lists the binding affinity (Ki) and inhibitory concentration (IC50) values at its primary targets and at the off-target receptors studied, as stated in the cited sources.`,
    groups,
    panel: panelView,
    panelText,
    tableCaption: `Table 1: Quantitative binding profile of ${name}: binding affinities (Ki) and inhibitory concentrations (IC50) at primary targets and off-target receptors.`,
    selectivity: selectivityView,
    methodsIntro: `The quantitative data above derive from ${methods.length === 1 ? 'one type' : `${methods.length} types`} of in vitro assay: ${joinList(methods.map((m) => m.title.toLowerCase()))}.`,
    methods: methods.map((m) => ({
      title: m.title,
      intro: withCompound(m.intro, name),
      steps: m.steps.map((s) => ({ lead: s.lead, text: withCompound(s.text, name) })),
      chengPrusoff: m.chengPrusoff,
    })),
    conclusion,
    references,
    citation: `${brand.name}. ${title}. ${brand.name}, ${year} (reviewed ${dataset.reviewedAt}).${compound.catalogNumber ? ` Catalogue no. ${compound.catalogNumber}.` : ''}${brand.website ? ` Available at ${brand.website}.` : ''}`,
    keywords: [
      name,
      ...(compound.synonyms ?? []),
      ...dataset.targets.map(shortLabel),
      'binding affinity',
      'Ki',
      'IC50',
      'selectivity',
    ].join(', '),
    subject: `Binding affinities, selectivity and assay methods for ${name} (${compound.drugClass})`,
    figures: {
      workflowCaption: `Figure 1: Workflow of the ${methods[0]!.title.toLowerCase()}.`,
      interactionsCaption: `Figure 2: ${name}'s primary and off-target interactions. Edge style shows the affinity class: thick solid < 100 nM, solid 100 nM\u20131 \u00b5M, dashed 1\u201310 \u00b5M, dotted \u2265 10 \u00b5M or not determined.`,
      workflowSteps: methods[0]!.workflow,
      interactions: selectivity.rows.map((r) => ({
        target: targetLabel(r.target),
        role: r.target.role,
        label: r.affinity
          ? `${r.affinity.basis === 'Ki (calculated)' ? 'Ki (calc.)' : r.affinity.basis} ${affinityText(r)}`
          : firstMeasurement(r.target),
        affinityClass: affinityClassOf(r.affinity?.molar ?? firstMolar(r.target)),
      })),
      panelNode: panel ? `Various other receptors (n = ${panel.count})` : undefined,
    },
  };
}

function firstMeasurement(t: Target): string {
  const m = t.measurements[0]!;
  return `${m.type} ${formatMeasurement(m)}`;
}

function firstMolar(t: Target): number | undefined {
  const m = t.measurements[0]!;
  if (m.relation === '>') return undefined;
  const { min, max } = rangeOf(m.value);
  return toMolar(geometricMean(min, max), m.unit);
}
