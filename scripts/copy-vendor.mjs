// Copies browser libraries from node_modules into public/vendor/ (served like every other asset,
// never from a CDN). Run by `npm run build`, `npm test` and `npm run dev`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const vendor = path.join(root, 'public', 'vendor');
const files = [
  ['node_modules/chart.js/dist/chart.umd.js', 'chart.umd.js'],
  ['node_modules/chart.js/LICENSE.md', 'chart.js-LICENSE.md'],
];

fs.mkdirSync(vendor, { recursive: true });
for (const [from, to] of files) fs.copyFileSync(path.join(root, from), path.join(vendor, to));

// The report's chart settings are shared with the server, which renders the same charts as PNG:
// one TypeScript file, transpiled here for the browser as the global PaydasFigures.
{
  const source = fs.readFileSync(path.join(root, 'server/analysis/report/figure-config.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018 } });
  const wrapped = `// Generated from server/analysis/report/figure-config.ts by scripts/copy-vendor.mjs.\nvar PaydasFigures = (function () {\n  var exports = {};\n  var module = { exports: exports };\n${outputText}\n  return module.exports;\n})();\n`;
  fs.writeFileSync(path.join(vendor, 'figures.js'), wrapped);
}
