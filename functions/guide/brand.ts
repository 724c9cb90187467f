// Brands are configuration: templates/brands/<name>/brand.json (words, colours, contact) and logo.svg.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');

const brandShape = z.strictObject({
  name: z.string().min(1),
  /** The guide's natural language (PDF /Lang), a BCP 47 tag. */
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a BCP 47 language tag such as "en" or "en-GB"')
    .default('en'),
  /** Who the guide names as its author, e.g. "Technical Support Team". */
  author: z.string().min(1),
  tagline: z.string().optional(),
  audience: z.string().min(1),
  address: z.array(z.string()).min(1),
  phone: z.string().optional(),
  email: z.string().min(1),
  website: z.string().url().optional(),
  colours: z.strictObject({
    primary: colour,
    accent: colour,
    text: colour,
    muted: colour,
    rule: colour,
    tint: colour,
  }),
  disclaimer: z.string().min(1),
  support: z.string().optional(),
  promo: z.strictObject({ title: z.string(), text: z.string() }).optional(),
});

export type BrandConfig = z.output<typeof brandShape>;

export interface Brand extends BrandConfig {
  id: string;
  logoSvg: string;
  emailLink: string;
}

export function listBrands(templatesDir: string): string[] {
  return readdirSync(join(templatesDir, 'brands'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function loadBrand(templatesDir: string, id: string): Brand {
  const dir = join(templatesDir, 'brands', id);
  const config = brandShape.parse(JSON.parse(readFileSync(join(dir, 'brand.json'), 'utf8')));
  return {
    ...config,
    id,
    logoSvg: readFileSync(join(dir, 'logo.svg'), 'utf8'),
    emailLink: `mailto:${config.email}`,
  };
}
