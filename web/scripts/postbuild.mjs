// Post-build: write .gz and .br next to every compressible file in dist/ (the server serves them precompressed)
// and enforce the JavaScript budget: the JS that index.html loads up front, gzipped, must stay <= 150 KB.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, extname, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const BUDGET_BYTES = 150 * 1024; // issue 6: "JavaScript bundle at most 150 KB gzipped"
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json', '.txt', '.map']);

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const gzSize = new Map();
for (const file of walk(dist)) {
  if (!COMPRESSIBLE.has(extname(file))) continue;
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 });
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(file + '.gz', gz);
  writeFileSync(file + '.br', br);
  gzSize.set(relative(dist, file), { raw: raw.length, gz: gz.length, br: br.length });
}

// Initial JS = module scripts and modulepreloads referenced by index.html (lazy chunks such as hls.js excluded).
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
let total = 0;
console.log('\nJavaScript (gzip):');
for (const [name, s] of [...gzSize].filter(([n]) => n.endsWith('.js')).sort()) {
  const tag = initial.includes(name) ? 'initial' : 'lazy';
  if (tag === 'initial') total += s.gz;
  console.log(`  ${tag.padEnd(8)} ${name.padEnd(40)} ${kb(s.raw).padStart(10)} raw  ${kb(s.gz).padStart(9)} gz  ${kb(s.br).padStart(9)} br`);
}
const css = [...gzSize].filter(([n]) => n.endsWith('.css')).reduce((a, [, s]) => a + s.gz, 0);
console.log(`\nInitial JS total: ${kb(total)} gzip (budget ${kb(BUDGET_BYTES)}); CSS: ${kb(css)} gzip`);
if (total > BUDGET_BYTES) {
  console.error(`FAIL: initial JS ${kb(total)} gzip exceeds the ${kb(BUDGET_BYTES)} budget`);
  process.exit(1);
}
