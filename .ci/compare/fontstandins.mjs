// TimelineJS's default font CSS loads its four faces (PT Sans, PT Sans
// Narrow, PT Serif) from Google Fonts, which this machine cannot reach. The
// @expo-google-fonts npm packages ship Google Fonts' own TrueType files of
// those faces; this prints, as JSON, which of those files answers each
// Google Fonts URL the CSS names, so that measure.mjs can serve them in
// place of Google's and the page's weight includes its fonts.
//
//   node fontstandins.mjs FONT_CSS EXPO_GOOGLE_FONTS_DIR > standins.json
import fs from 'node:fs';
import path from 'node:path';

const [css, dir] = process.argv.slice(2);
const text = fs.readFileSync(css, 'utf8');
const out = {};
const missing = [];
for (const m of text.matchAll(/@font-face\s*\{([^}]*)\}/g)) {
  const block = m[1];
  const family = /font-family:\s*'([^']+)'/.exec(block)?.[1];
  const style = /font-style:\s*(\w+)/.exec(block)?.[1] ?? 'normal';
  const weight = /font-weight:\s*(\d+)/.exec(block)?.[1] ?? '400';
  const url = /url\((https:\/\/fonts\.gstatic\.com\/[^)]+)\)/.exec(block)?.[1];
  if (!family || !url) continue;
  const pkg = family.toLowerCase().replace(/\s+/g, '-'); // PT Sans Narrow -> pt-sans-narrow
  const prefix = family.replace(/\s+/g, ''); // PTSansNarrow
  const variant = `${weight}${{ 400: 'Regular', 700: 'Bold' }[weight] ?? ''}${style === 'italic' ? '_Italic' : ''}`;
  const file = path.join(dir, pkg, variant, `${prefix}_${variant}.ttf`);
  if (fs.existsSync(file)) out[url] = file;
  else missing.push(`${family} ${weight} ${style}: ${file}`);
}
if (missing.length) console.error('fontstandins: no stand-in for\n  ' + missing.join('\n  '));
console.log(JSON.stringify(out, null, 1));
