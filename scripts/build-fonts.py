#!/usr/bin/python3
"""Builds templates/fonts/GuideSans-*.ttf from Debian's Noto fonts; run by hand, the output is checked in.

Needs Debian's python3-fonttools and fonts-noto-core:  /usr/bin/python3 scripts/build-fonts.py
Each style is Noto Sans (same style) subset to the ranges below, plus, for what Noto Sans lacks, arrows and math
operators from Noto Sans Math and check marks from Noto Sans Symbols 2 (both have a Regular style only). All three
are 1000 units per em, so glyphs merge unscaled. Vertical metrics stay Noto Sans's (the donors' are taller, which
would open up every line). Then run `node scripts/font-coverage.mjs` to refresh templates/fonts/coverage.json.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

NOTO = Path('/usr/share/fonts/truetype/noto')
OUT = Path(__file__).resolve().parent.parent / 'templates' / 'fonts'
STYLES = ['Regular', 'Bold', 'Italic', 'BoldItalic']
FAMILY = 'Guide Sans'

# Text: Latin (Basic, Latin-1, Extended-A and -B, spacing modifiers, Extended Additional), Greek, general punctuation
# (primes, dashes, quotes), super- and subscripts, currency, letterlike symbols and number forms. No combining marks:
# placing them needs the fonts' mark-positioning tables, which made fontkit's first layout of each style several times
# slower and slowed every new word; precomposed letters cover Latin and Greek.
TEXT = [(0x20, 0x7E), (0xA0, 0x24F), (0x2B0, 0x2FF), (0x370, 0x3FF), (0x1E00, 0x1EFF), (0x2000, 0x206F),
        (0x2070, 0x209F), (0x20A0, 0x20CF), (0x2100, 0x218F)]
# Arrows and mathematical operators.
MATH = [(0x2190, 0x21FF), (0x2200, 0x22FF)]
# Check marks and ballot crosses: ✓ ✔ ✕ ✖ ✗ ✘.
CHECKS = [(0x2713, 0x2718)]
# Kerning and standard ligatures (fontkit applies more by default, but these are the ones Latin text shows).
FEATURES = ['kern', 'liga']


def code_points(ranges):
    return {c for start, end in ranges for c in range(start, end + 1)}


def subset_font(path, unicodes, features):
    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = features
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ['*']
    options.drop_tables += ['DSIG', 'MATH']
    if not features:
        options.drop_tables += ['GSUB', 'GPOS', 'GDEF']
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes & set(font.getBestCmap()))
    subsetter.subset(font)
    return font


def build(style):
    base = subset_font(NOTO / f'NotoSans-{style}.ttf', code_points(TEXT), FEATURES)
    have = set(base.getBestCmap())
    math = subset_font(NOTO / 'NotoSansMath-Regular.ttf', code_points(MATH) - have, [])
    have |= set(math.getBestCmap())
    checks = subset_font(NOTO / 'NotoSansSymbols2-Regular.ttf', code_points(CHECKS) - have, [])
    paths = []
    for name, font in (('base', base), ('math', math), ('checks', checks)):
        path = OUT / f'.{name}-{style}.ttf'
        font.save(path)
        paths.append(path)
    merged = Merger().merge([str(p) for p in paths])
    for p in paths:
        p.unlink()

    # Noto Sans's line metrics and dates, not the donors'.
    for table, fields in (('hhea', ['ascent', 'descent', 'lineGap']),
                          ('OS/2', ['sTypoAscender', 'sTypoDescender', 'sTypoLineGap', 'usWinAscent',
                                    'usWinDescent', 'sxHeight', 'sCapHeight', 'usWeightClass', 'fsSelection']),
                          ('head', ['created', 'modified', 'macStyle', 'fontRevision'])):
        for field in fields:
            setattr(merged[table], field, getattr(base[table], field))
    merged['OS/2'].recalcUnicodeRanges(merged)
    merged['post'].italicAngle = base['post'].italicAngle

    # A modified font gets its own name (OFL 1.1 §3 asks this of Reserved Font Names; Noto has none, but a renamed
    # derivative cannot be mistaken for the original).
    label = {'Regular': 'Regular', 'Bold': 'Bold', 'Italic': 'Italic', 'BoldItalic': 'Bold Italic'}[style]
    name = merged['name']
    name.names = [n for n in name.names if n.nameID in (0, 13, 14)]
    source = [n.toUnicode() for n in base['name'].names if n.nameID == 0][0]
    names = {
        0: f'{source} Noto Sans Math: Copyright 2018 Google LLC. Noto Sans Symbols 2: Copyright 2017 Google Inc.',
        1: FAMILY,
        2: label,
        3: f'1.0;{FAMILY.replace(" ", "")}-{style}',
        4: f'{FAMILY} {label}',
        5: 'Version 1.0; Noto Sans 2.004, Noto Sans Math 2.001, Noto Sans Symbols2 2.003 (Debian fonts-noto-core)',
        6: f'{FAMILY.replace(" ", "")}-{style}',
        10: 'Noto Sans subset for technical guides, with arrows and math operators from Noto Sans Math and check '
            'marks from Noto Sans Symbols 2.',
    }
    for name_id, text in names.items():
        name.setName(text, name_id, 3, 1, 0x409)
    out = OUT / f'GuideSans-{style}.ttf'
    merged.recalcTimestamp = False  # the same input gives the same bytes
    merged.save(out)
    return out


def main():
    for style in (sys.argv[1:] or STYLES):
        out = build(style)
        print(f'{out}: {out.stat().st_size} bytes, {len(TTFont(out).getBestCmap())} characters')


if __name__ == '__main__':
    main()
