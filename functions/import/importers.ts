// The sources `guides import` reads, by the name the command takes.
import type { Importer } from './activity.ts';
import { bindingdb } from './bindingdb.ts';
import { chembl } from './chembl.ts';
import { gtopdb } from './gtopdb.ts';
import { pdsp } from './pdsp.ts';

export const IMPORTERS: Readonly<Record<string, Importer>> = { chembl, gtopdb, bindingdb, pdsp };
