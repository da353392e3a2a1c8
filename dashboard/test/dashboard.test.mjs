// The dashboard in a real headless Chromium (Debian's, driven by playwright-core): the page renders from a
// generated sample result with no network, every chart canvas has drawn data with a title and labelled axes,
// invalid runs are listed, and the console has no errors; the trends join a schema v1 file and a v2 one.
// Saves a screenshot under results/dashboard/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { asV1, sampleResult } from '../../harness/test/sample-result.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'build/ts/dashboard/src/dashboard-cli.js');

test(
  'the dashboard renders every chart from a sample result, offline, without console errors',
  { timeout: 120000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corojs-dashboard-'));
    const older = join(dir, 'older.json');
    const newer = join(dir, 'newer.json');
    writeFileSync(
      older,
      JSON.stringify(asV1(sampleResult({ seed: 1, commit: '1111111aaaa', createdAt: '2026-11-24T10:00:00.000Z' }))),
    );
    writeFileSync(
      newer,
      JSON.stringify(
        sampleResult({ seed: 2, scale: 1.1, commit: '2222222bbbb', createdAt: '2026-11-25T10:00:00.000Z' }),
      ),
    );
    const outDir = join(dir, 'dashboard');
    const render = spawnSync(process.execPath, [CLI, older, newer, '--out-dir', outDir], { encoding: 'utf8' });
    assert.equal(render.status, 0, render.stderr);
    assert.match(render.stdout, /\(2 result file\(s\)\)/, 'the v1 file is read, not skipped');
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    assert.doesNotMatch(
      html,
      /<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/i,
      'self-contained: no external scripts or styles',
    );

    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network: ${r.url()}`);
      });
      await page.goto(pathToFileURL(join(outDir, 'index.html')).href);
      await page.waitForFunction(() => document.querySelectorAll('canvas').length > 0);

      const charts = await page.evaluate(() =>
        [...document.querySelectorAll('canvas')].map((canvas) => {
          const chart = Chart.getChart(canvas);
          const points = chart
            ? chart.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null && v !== undefined).length, 0)
            : 0;
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4 * 7) if (pixels[i] !== 0) painted++;
          const scales = chart ? Object.values(chart.options.scales) : [];
          return {
            title: chart?.options.plugins.title.text ?? '',
            points,
            painted,
            axes: scales.map((s) => (s.title?.display ? s.title.text : '')),
            xTicks: chart?.scales.x.ticks.map((t) => chart.scales.x.getLabelForValue?.(t.value) ?? t.label) ?? [],
            xType: chart?.options.scales.x.type,
          };
        }),
      );
      assert.ok(charts.length >= 20, `charts drawn: ${charts.length}`);
      for (const c of charts) {
        assert.ok(c.title.length > 0, 'every chart has a title');
        assert.ok(c.points > 0, `${c.title}: has data`);
        assert.ok(c.painted > 50, `${c.title}: pixels drawn (${c.painted})`);
        assert.ok(c.axes.length === 2 && c.axes.every((a) => a.length > 0), `${c.title}: both axes labelled`);
      }
      const titles = charts.map((c) => c.title);
      for (const expected of [
        /tcp-echo 64B: throughput/,
        /latency by percentile/,
        /against offered load/,
        /tls-echo steady-64B: server CPU per operation against offered load/,
        /Switch-cost ladder/,
        /Memory per idle/,
        /Where an idle fiber's bytes go/,
        /Stack-size sweep .*1 MiB/,
        /Trend: tcp-echo throughput ratios/,
        /Trend: CoroJS fiber switch/,
      ]) {
        assert.ok(
          titles.some((t) => expected.test(t)),
          `a chart titled ${expected}`,
        );
      }
      const hdr = charts.find((c) => /latency by percentile/.test(c.title));
      assert.equal(hdr.xType, 'logarithmic');
      const trend = charts.find((c) => /Trend: tcp-echo throughput ratios/.test(c.title));
      assert.deepEqual(trend.xTicks, ['1111111a', '2222222b'], 'the v1 file and the v2 file each give a trend point');
      const text = await page.textContent('body');
      assert.match(text, /Invalid measurements \(2\)/);
      // The scoreboard opens the page: one row per workload/variant, CoroJS backends against each async target.
      const board = await page.evaluate(() => {
        const first = document.querySelector('main section');
        const table = first.querySelector('table.scoreboard');
        return {
          title: first.querySelector('h2').textContent,
          headers: [...table.querySelectorAll('th')].map((t) => t.textContent),
          rows: [...table.querySelectorAll('tr')]
            .slice(1)
            .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
        };
      });
      assert.match(board.title, /Scoreboard/);
      assert.deepEqual(board.headers.slice(1), [
        'corojs-thread vs node18',
        'corojs-thread vs node20',
        'corojs-ucontext vs node18',
        'corojs-ucontext vs node20',
      ]);
      const row = (name) => board.rows.find((r) => r[0] === name);
      const tls = row('tls-echo steady-64B');
      // CoroJS's CPU per operation is 0.9x (thread) and 0.8x (ucontext) Node's in the sample: a lower ratio, and a verdict.
      assert.match(tls[2], /cpu\/op @25000\/s: 0\.\d\dx \[[\d.]+-[\d.]+\] (less CPU\/op|no difference)/);
      assert.match(tls[4], /cpu\/op @25000\/s: 0\.[78]\dx .*less CPU\/op/);
      assert.match(
        tls[1],
        /thr: node18 invalid: not server-bound: server 71\.2%/,
        'an invalid point is explained, not compared',
      );
      assert.match(row('tcp-echo 64B')[2], /thr: 0\.[78]\dx .*slower/);
      assert.ok(board.rows.length >= 7, `rows: ${board.rows.map((r) => r[0])}`);
      assert.match(text, /load generator saturated/);
      assert.match(text, /Sample CPU @ 2\.0GHz, 2 cores/);
      assert.match(text, /supported: sample conclusion/);
      mkdirSync(join(ROOT, 'results/dashboard'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'results/dashboard/screenshot.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  },
);
