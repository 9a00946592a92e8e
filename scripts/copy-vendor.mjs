// Copies browser libraries from node_modules into public/vendor/ (served like every other asset,
// never from a CDN). Run by `npm run build`, `npm test` and `npm run dev`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const vendor = path.join(root, 'public', 'vendor');
const files = [
  ['node_modules/chart.js/dist/chart.umd.js', 'chart.umd.js'],
  ['node_modules/chart.js/LICENSE.md', 'chart.js-LICENSE.md'],
];

fs.mkdirSync(vendor, { recursive: true });
for (const [from, to] of files) fs.copyFileSync(path.join(root, from), path.join(vendor, to));
