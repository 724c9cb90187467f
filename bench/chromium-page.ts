// The guide as an HTML page, for the Chromium side of `lambda.cold`: what a user would print with a headless browser
// instead of our renderer. Made from the very pdfmake document definition our renderer lays out (same text, tables,
// figures, fonts, brand colours, running header and footer), so both sides print the same content.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Node = unknown;
type Style = Record<string, unknown>;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function css(style: Style): string {
  const rules: string[] = [];
  if (typeof style['fontSize'] === 'number') rules.push(`font-size:${style['fontSize']}pt`);
  if (style['bold']) rules.push('font-weight:bold');
  if (style['italics']) rules.push('font-style:italic');
  if (typeof style['color'] === 'string') rules.push(`color:${style['color']}`);
  if (typeof style['fillColor'] === 'string') rules.push(`background:${style['fillColor']}`);
  if (typeof style['alignment'] === 'string') rules.push(`text-align:${style['alignment']}`);
  if (typeof style['lineHeight'] === 'number') rules.push(`line-height:${style['lineHeight']}`);
  const margin = style['margin'];
  if (Array.isArray(margin) && margin.length === 4)
    rules.push(`margin:${margin[1]}pt ${margin[2]}pt ${margin[3]}pt ${margin[0]}pt`);
  return rules.join(';');
}

/** Inline style of a node: its named styles, then its own properties. */
function styleOf(node: Record<string, unknown>, styles: Record<string, Style>): string {
  const names = ([] as unknown[]).concat(node['style'] ?? []);
  const merged: Style = {};
  for (const name of names) Object.assign(merged, styles[String(name)] ?? {});
  Object.assign(merged, node);
  return css(merged);
}

function html(node: Node, styles: Record<string, Style>, inline = false): string {
  if (node === null || node === undefined) return '';
  if (typeof node === 'string' || typeof node === 'number') return escapeHtml(String(node));
  if (Array.isArray(node)) return node.map((child) => html(child, styles, inline)).join(inline ? '' : '\n');
  const n = node as Record<string, unknown>;
  const style = styleOf(n, styles);
  const block = (tag: string, inner: string) => `<${tag} style="${style}">${inner}</${tag}>`;
  if (n['pageBreak'] === 'before')
    return `<div style="break-before:page"></div>${html({ ...n, pageBreak: undefined }, styles)}`;
  if ('text' in n) {
    let inner = html(n['text'], styles, true);
    if (typeof n['link'] === 'string') inner = `<a href="${escapeHtml(n['link'])}">${inner}</a>`;
    if (n['sup']) inner = `<sup>${inner}</sup>`;
    if (n['sub']) inner = `<sub>${inner}</sub>`;
    return block(inline ? 'span' : 'p', inner);
  }
  if ('stack' in n) return block('div', html(n['stack'], styles));
  if ('columns' in n)
    return `<div style="display:flex;gap:12pt;${style}">${(n['columns'] as Node[]).map((c) => `<div style="flex:1">${html(c, styles)}</div>`).join('')}</div>`;
  if ('ul' in n || 'ol' in n) {
    const tag = 'ul' in n ? 'ul' : 'ol';
    return block(tag, (n[tag] as Node[]).map((item) => `<li>${html(item, styles, true)}</li>`).join(''));
  }
  if ('table' in n) {
    const table = n['table'] as { body: Node[][]; headerRows?: number };
    const rows = table.body.map((row, i) => {
      const tag = i < (table.headerRows ?? 0) ? 'th' : 'td';
      return `<tr>${row
        .map((cell) => {
          const c = (cell ?? {}) as Record<string, unknown>;
          const span = typeof c['colSpan'] === 'number' ? ` colspan="${c['colSpan']}"` : '';
          return `<${tag}${span} style="${typeof cell === 'object' && cell ? styleOf(c, styles) : ''}">${html(cell, styles, true)}</${tag}>`;
        })
        .join('')}</tr>`;
    });
    const head = rows.slice(0, table.headerRows ?? 0).join('');
    return `<table style="${style}"><thead>${head}</thead><tbody>${rows.slice(table.headerRows ?? 0).join('')}</tbody></table>`;
  }
  if ('svg' in n) return `<div style="${style};width:${n['width'] ?? 'auto'}pt">${n['svg']}</div>`;
  return '';
}

/** A complete HTML page for a pdfmake document definition; header/footer functions are asked for page 1 of `pages`. */
export function guideHtml(definition: Record<string, unknown>, templatesDir: string, pages: number): string {
  const styles = (definition['styles'] ?? {}) as Record<string, Style>;
  const base = (definition['defaultStyle'] ?? {}) as Style;
  const fonts = join(templatesDir, 'fonts');
  const face = (file: string, weight: string, style: string) =>
    `@font-face{font-family:OpenSans;src:url("${pathToFileURL(join(fonts, file)).href}");font-weight:${weight};font-style:${style}}`;
  const running = (which: 'header' | 'footer') => {
    const make = definition[which];
    return typeof make === 'function' ? html(make(1, pages), styles) : '';
  };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(String((definition['info'] as Style)?.['title'] ?? 'Guide'))}</title><style>
${face('OpenSans-Regular.ttf', 'normal', 'normal')}${face('OpenSans-Bold.ttf', 'bold', 'normal')}
${face('OpenSans-Italic.ttf', 'normal', 'italic')}${face('OpenSans-BoldItalic.ttf', 'bold', 'italic')}
@page{size:A4;margin:64pt 52pt 58pt 52pt}
body{font-family:OpenSans;${css(base)}}
p{margin:0 0 4pt 0} table{border-collapse:collapse;width:100%;break-inside:auto} thead{display:table-header-group}
th,td{padding:3.5pt 5pt;border-bottom:0.35pt solid #ccc;text-align:left;vertical-align:top}
.running{position:fixed;left:0;right:0} .header{top:-48pt} .footer{bottom:-44pt}
</style></head><body>
<div class="running header">${running('header')}</div><div class="running footer">${running('footer')}</div>
${html(definition['content'], styles)}
</body></html>`;
}
