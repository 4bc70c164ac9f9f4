// Checks the colour pairs of src/styles/tokens.css against WCAG 2.2 AA and
// prints them as a Markdown table (docs/design/tokens.md quotes it).
//   node scripts/contrast.mjs          print the table
//   node scripts/contrast.mjs --check  also exit 1 when a pair fails
import { readFileSync } from 'node:fs';

const css = readFileSync(new URL('../src/styles/tokens.css', import.meta.url), 'utf8');
const tokens = Object.fromEntries([...css.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));

// [foreground, background, minimum ratio, where it is used]
// 4.5 is AA for body text, 3 for large text (>= 24px, or >= 18.66px bold) and
// for the boundaries of controls and meaningful graphics (SC 1.4.11).
const pairs = [
  ['--color-text', '--color-bg', 4.5, 'body text'],
  ['--color-text', '--color-surface', 4.5, 'text on cards'],
  ['--color-text-muted', '--color-bg', 4.5, 'secondary text'],
  ['--color-text-muted', '--color-surface', 4.5, 'secondary text on cards'],
  ['--color-text-muted', '--color-surface-sunken', 4.5, 'secondary text on sunken panels'],
  ['--color-link', '--color-bg', 4.5, 'links'],
  ['--color-link', '--color-surface', 4.5, 'links on cards'],
  ['--color-on-primary', '--color-primary', 4.5, 'primary button label'],
  ['--color-on-primary', '--color-primary-hover', 4.5, 'primary button label, hover'],
  ['--color-on-accent', '--color-accent', 4.5, 'accent chip label'],
  ['--color-on-header', '--color-header', 4.5, 'header text'],
  ['--color-on-header-muted', '--color-header', 4.5, 'header secondary text'],
  ['--color-danger', '--color-danger-bg', 4.5, 'error message'],
  ['--color-danger', '--color-surface', 4.5, 'field error'],
  ['--color-on-warning', '--color-warning-bg', 4.5, 'warning message'],
  ['--color-success', '--color-success-bg', 4.5, 'success message'],
  ['--color-on-info', '--color-info-bg', 4.5, 'notice ("ainda não disponível")'],
  ['--color-focus', '--color-bg', 3, 'focus ring'],
  ['--color-focus', '--color-surface', 3, 'focus ring on cards'],
  ['--color-border', '--color-surface', 3, 'input and chip borders'],
  ['--color-primary', '--color-bg', 3, 'primary button boundary'],
  ['--seat-available-border', '--color-surface', 3, 'available seat outline'],
  ['--seat-selected', '--color-surface', 3, 'selected seat fill'],
  ['--seat-on-selected', '--seat-selected', 4.5, 'selected seat number'],
  ['--seat-yours', '--color-surface', 3, 'your held seat fill'],
  ['--seat-on-yours', '--seat-yours', 4.5, 'your held seat mark'],
  ['--seat-on-taken', '--seat-taken', 4.5, 'taken seat mark'],
  ['--seat-accessible', '--color-surface', 3, 'wheelchair and companion outline'],
  ['--seat-couple', '--color-surface', 3, 'couple seat outline'],
  ['--seat-vip', '--color-surface', 3, 'VIP seat outline'],
  ['--screen', '--color-surface', 3, 'screen band'],
  ['--on-rating-l', '--rating-l', 4.5, 'age rating L'],
  ['--on-rating-10', '--rating-10', 4.5, 'age rating 10'],
  ['--on-rating-12', '--rating-12', 4.5, 'age rating 12'],
  ['--on-rating-14', '--rating-14', 4.5, 'age rating 14'],
  ['--on-rating-16', '--rating-16', 4.5, 'age rating 16'],
  ['--on-rating-18', '--rating-18', 4.5, 'age rating 18'],
];

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

let failed = 0;
const rows = pairs.map(([fg, bg, min, use]) => {
  if (!tokens[fg] || !tokens[bg]) throw new Error(`unknown token in pair ${fg} / ${bg}`);
  const ratio = contrast(tokens[fg], tokens[bg]);
  const ok = ratio >= min;
  if (!ok) failed++;
  return `| ${use} | \`${fg}\` ${tokens[fg]} | \`${bg}\` ${tokens[bg]} | ${ratio.toFixed(2)}:1 | ${min}:1 | ${ok ? 'pass' : 'FAIL'} |`;
});
console.log('| use | foreground | background | ratio | AA needs | result |');
console.log('|---|---|---|---|---|---|');
console.log(rows.join('\n'));
if (process.argv.includes('--check') && failed) {
  console.error(`\n${failed} colour pair(s) fail WCAG AA`);
  process.exit(1);
}
