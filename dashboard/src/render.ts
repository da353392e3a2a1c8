// Writes the dashboard: one self-contained HTML page (chart.js, the page script and the data inlined; no
// network), which opens from disk.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DashboardModel } from './model.js';

const require = createRequire(import.meta.url);

// Inline <script> text must not contain "</script": escape "<" in the JSON.
const safeJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export function renderPage(model: DashboardModel, pageDir: string): string {
  const chartJs = readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8'); // the UMD build sits beside the package's entry;
  const app = readFileSync(path.join(pageDir, 'app.js'), 'utf8');
  const css = readFileSync(path.join(pageDir, 'style.css'), 'utf8');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CoroJS Lab: fibers against async/await</title>
<style>${css}</style>
</head>
<body>
<header><h1>CoroJS Lab: fibers against async/await</h1><div id="run"></div></header>
<main id="main"></main>
<script>${chartJs.replace(/<\/script/gi, '<\\/script')}</script>
<script>window.LAB_DATA = ${safeJson(model)};</script>
<script>${app}</script>
</body>
</html>
`;
}

export function writeDashboard(model: DashboardModel, outDir: string, pageDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'index.html');
  writeFileSync(file, renderPage(model, pageDir));
  return file;
}
