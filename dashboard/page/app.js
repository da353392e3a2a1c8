// The dashboard page: draws window.LAB_DATA (built by dashboard/src/model.ts) with chart.js. Plain browser
// JavaScript, inlined into index.html by dashboard/src/render.ts.
(function () {
  'use strict';
  const data = window.LAB_DATA;
  const main = document.getElementById('main');
  const COLORS = {
    'corojs-fcontext': '#dc2626',
    'corojs-thread': '#2563eb',
    'corojs-ucontext': '#7c3aed',
    node18: '#059669',
    node20: '#d97706',
    bun: '#be185d',
    deno: '#0891b2',
    go: '#4b5563',
  };
  const PALETTE = ['#2563eb', '#7c3aed', '#059669', '#d97706', '#dc2626', '#0891b2', '#4b5563', '#be185d'];
  const color = (label, i) => COLORS[label] || PALETTE[i % PALETTE.length];
  const INVALID = 'rgba(160, 160, 160, 0.45)';
  const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString());
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    Object.assign(node, attrs || {});
    for (const child of children) node.append(child);
    return node;
  };
  const section = (title, note) => {
    const s = el('section', {}, el('h2', { textContent: title }));
    if (note) s.append(el('p', { className: 'note', textContent: note }));
    main.append(s);
    return s;
  };
  // One chart in `parent`: a canvas with a title and labelled axes (units in the labels).
  function chart(
    parent,
    title,
    type,
    datasets,
    { x, y, labels, xType = 'category', yType = 'linear', xTicks, yTicks, xExtra, stacked = false } = {},
  ) {
    const canvas = el('canvas', { role: 'img', ariaLabel: title });
    parent.append(el('div', { className: 'chart' }, canvas));
    return new Chart(canvas, {
      type,
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
        scales: {
          x: Object.assign(
            { type: xType, title: { display: true, text: x }, ticks: xTicks || {}, stacked },
            xExtra || {},
          ),
          y: { type: yType, title: { display: true, text: y }, ticks: yTicks || {}, stacked },
        },
      },
    });
  }

  // Run fingerprint.
  const env = data.env;
  document.getElementById('run').textContent =
    `run ${data.created_at} at ${data.git_commit.slice(0, 10)}; ${env.cpu_model}, ${env.cores} cores, kernel ${env.kernel}; ` +
    `V8 ${env.versions.v8}, libuv ${env.versions.libuv}, OpenSSL ${env.versions.openssl}, Node ${env.versions.node20} / ${env.versions.node18}; ` +
    ['bun', 'deno', 'go']
      .filter((p) => env.versions[p])
      .map(
        (p) =>
          `${p} ${env.versions[p]}${p === 'deno' && env.versions.deno_v8 ? ` (V8 ${env.versions.deno_v8})` : ''}; `,
      )
      .join('') +
    `server CPU ${env.cpu_placement.server}, load CPU ${env.cpu_placement.load_generator}; flags ${env.flags.join(' ') || '(none)'}`;

  // The scoreboard opens the page: CoroJS (each backend) against each async/await target, per workload/variant.
  if (data.scoreboard.length) {
    const s = section(
      'Scoreboard: CoroJS against async/await',
      `Each cell: CoroJS / the async target as a ratio (median of per-repetition ratios, [lowest-highest]) and a verdict from a one-sided Mann-Whitney U test at alpha ${data.alpha}. ` +
        "thr: closed-loop throughput (higher is better); cpu/op: the server's CPU per operation and p99: latency, both at equal offered load (lower is better). Cells that cannot be compared say why.",
    );
    const columns = [...new Set(data.scoreboard.flatMap((r) => r.cells.map((c) => `${c.coro} vs ${c.against}`)))];
    const table = el(
      'table',
      { className: 'scoreboard' },
      el(
        'tr',
        {},
        el('th', { textContent: 'workload / variant' }),
        ...columns.map((c) => el('th', { textContent: c })),
      ),
    );
    const short = { throughput: 'thr', 'cpu/op': 'cpu/op', p99: 'p99' };
    for (const row of data.scoreboard) {
      const tr = el('tr', {}, el('td', { textContent: `${row.workload} ${row.variant}` }));
      for (const column of columns) {
        const cell = row.cells.find((c) => `${c.coro} vs ${c.against}` === column);
        const td = el('td', {});
        for (const e of cell ? cell.entries : []) {
          const head = `${short[e.metric]}${e.at ? ` @${e.at}` : ''}: `;
          const text =
            e.ratio === null
              ? `${head}${e.reason}`
              : `${head}${e.ratio.toFixed(2)}x [${e.low.toFixed(2)}-${e.high.toFixed(2)}] ${e.words}`;
          td.append(
            el('div', { className: `score ${e.verdict.replace(/ /g, '-')}`, textContent: text, title: e.reason || '' }),
          );
        }
        tr.append(td);
      }
      table.append(tr);
    }
    s.append(table);
  }

  // Conclusions and invalid runs next: what the data says, and what it cannot be trusted for.
  const conclusions = Object.entries(data.conclusions);
  if (conclusions.length) {
    const s = section('Conclusions (derived from this run)');
    const dl = el('dl');
    for (const [k, v] of conclusions) dl.append(el('dt', { textContent: k }), el('dd', { textContent: v }));
    s.append(dl);
  }
  if (data.invalid.length) {
    const s = section(`Invalid measurements (${data.invalid.length}): drawn grey, never mixed in`);
    const table = el(
      'table',
      {},
      el('tr', {}, el('th', { textContent: 'measurement' }), el('th', { textContent: 'why invalid' })),
    );
    for (const i of data.invalid)
      table.append(
        el('tr', { className: 'invalid' }, el('td', { textContent: i.what }), el('td', { textContent: i.reason })),
      );
    s.append(table);
  }

  // Per workload: throughput and p50/p99/p99.9 side by side.
  if (data.groups.length) {
    const s = section(
      'Throughput and latency per workload (closed loop)',
      'Bars in grey are invalid runs (see above). Latency in microseconds.',
    );
    const grid = el('div', { className: 'grid' });
    s.append(grid);
    for (const g of data.groups) {
      const labels = g.bars.map((b) => b.target + (b.valid ? '' : ' (invalid)'));
      chart(
        grid,
        `${g.name} ${g.variant}: throughput`,
        'bar',
        [
          {
            label: 'operations/s',
            data: g.bars.map((b) => b.throughput),
            backgroundColor: g.bars.map((b, i) => (b.valid ? color(b.target, i) : INVALID)),
          },
        ],
        { labels, x: 'runtime', y: 'throughput (operations/s)' },
      );
      chart(
        grid,
        `${g.name} ${g.variant}: latency percentiles`,
        'bar',
        ['p50', 'p99', 'p999'].map((p, i) => ({
          label: p === 'p999' ? 'p99.9' : p,
          data: g.bars.map((b) => b[p]),
          backgroundColor: g.bars.map((b) => (b.valid ? PALETTE[i + 4] : INVALID)),
        })),
        { labels, x: 'runtime', y: 'latency (µs, log)', yType: 'logarithmic' },
      );
    }
    const table = el(
      'table',
      {},
      el(
        'tr',
        {},
        ...['workload', 'runtime', 'ops/s', 'p50 µs', 'p99 µs', 'p99.9 µs', 'valid'].map((h) =>
          el('th', { textContent: h }),
        ),
      ),
    );
    for (const g of data.groups)
      for (const b of g.bars) {
        table.append(
          el(
            'tr',
            { className: b.valid ? '' : 'invalid' },
            ...[
              `${g.name} ${g.variant}`,
              b.target,
              fmt(b.throughput),
              fmt(b.p50),
              fmt(b.p99),
              fmt(b.p999),
              b.valid ? 'yes' : `no: ${b.reason}`,
            ].map((t) => el('td', { textContent: t })),
          ),
        );
      }
    s.append(table);
  }

  // HDR percentile plots: x = 1/(1-p) on a log axis, ticked at the familiar percentiles.
  if (data.percentiles.length) {
    const s = section('Latency by percentile (HdrHistogram)');
    const grid = el('div', { className: 'grid' });
    s.append(grid);
    const ticks = { 2: '50%', 10: '90%', 100: '99%', 1000: '99.9%', 10000: '99.99%' };
    for (const p of data.percentiles) {
      chart(
        grid,
        p.title,
        'line',
        p.curves.map((c, i) => ({
          label: c.label + (c.valid ? '' : ' (invalid)'),
          data: c.points,
          borderColor: c.valid ? color(c.label, i) : INVALID,
          borderDash: c.valid ? [] : [4, 4],
          pointRadius: 2,
          fill: false,
        })),
        {
          x: 'percentile',
          y: 'latency (µs, log)',
          xType: 'logarithmic',
          yType: 'logarithmic',
          xTicks: { callback: (v) => ticks[Math.round(v)] || '', autoSkip: false },
          // chart.js would pick its own log ticks: use exactly the percentile ones.
          xExtra: {
            min: 1,
            afterBuildTicks: (axis) => {
              axis.ticks = Object.keys(ticks)
                .map(Number)
                .filter((v) => v <= axis.max * 1.01)
                .map((value) => ({ value }));
            },
          },
        },
      );
    }
  }

  // Latency against offered load (open loop).
  if (data.load.length) {
    const s = section(
      'Latency and server CPU per operation against offered load (open loop, constant arrival rate)',
      'Latency measured from the intended send time (corrected for coordinated omission). Hollow points are invalid runs.',
    );
    const grid = el('div', { className: 'grid' });
    s.append(grid);
    for (const p of data.load) {
      chart(
        grid,
        p.title,
        'line',
        p.curves.map((c, i) => ({
          label: c.label,
          data: c.points.map((pt) => ({ x: pt.x, y: pt.y })),
          borderColor: color(c.label, i),
          backgroundColor: color(c.label, i),
          pointStyle: c.points.map((pt) => (pt.valid ? 'circle' : 'crossRot')),
          pointRadius: 4,
          showLine: true,
        })),
        p.title.includes('CPU per operation')
          ? { x: 'offered load (requests/s)', y: 'server CPU per operation (µs)', xType: 'linear', yType: 'linear' }
          : { x: 'offered load (requests/s)', y: 'p99 latency (µs, log)', xType: 'linear', yType: 'logarithmic' },
      );
    }
  }

  // Fibers: the switch-cost ladder, stack memory, the stack-size sweep.
  const fibers = section('Fibers: switch cost and stack memory');
  const fiberGrid = el('div', { className: 'grid' });
  fibers.append(fiberGrid);
  if (data.ladder.length) {
    chart(
      fiberGrid,
      'Switch-cost ladder (median of repetitions)',
      'bar',
      [
        {
          label: 'ns per one-way switch',
          data: data.ladder.map((r) => r.ns),
          backgroundColor: data.ladder.map((r, i) => PALETTE[i % PALETTE.length]),
        },
      ],
      { labels: data.ladder.map((r) => r.label), x: 'rung', y: 'ns per one-way switch (log)', yType: 'logarithmic' },
    );
  }
  if (data.memory.length) {
    const kinds = [...new Set(data.memory.map((m) => `${m.kind} @ ${m.count}`))];
    const targets = [...new Set(data.memory.map((m) => m.label))];
    chart(
      fiberGrid,
      'Memory per idle connection / fiber (RSS delta)',
      'bar',
      targets.map((t, i) => ({
        label: t,
        backgroundColor: color(t, i),
        data: kinds.map((k) => {
          const m = data.memory.find((x) => x.label === t && `${x.kind} @ ${x.count}` === k);
          return m ? m.bytes / 1024 : null;
        }),
      })),
      { labels: kinds, x: 'what is idle, and how many', y: 'RSS per unit (KiB)' },
    );
    const split = data.memory.filter((m) => m.parts);
    if (split.length) {
      const labels = split.map((m) => `${m.label} @ ${m.count}`);
      const part = (label, fn, i) => ({
        label,
        data: split.map((m) => fn(m) / 1024),
        backgroundColor: PALETTE[i % PALETTE.length],
        stack: 'bytes',
      });
      chart(
        fiberGrid,
        "Where an idle fiber's bytes go (KiB per fiber)",
        'bar',
        [
          part('resident stack pages', (m) => m.parts.stack, 0),
          part('V8 handle-scope blocks (resident)', (m) => m.parts.handleBlocks, 1),
          part('C heap in use (V8 archived thread state, scheduler)', (m) => m.parts.malloc, 2),
          part('V8 heap (JS objects)', (m) => m.parts.v8Heap, 3),
          part(
            'rest of RSS (allocator slack, other)',
            (m) => Math.max(0, m.bytes - m.parts.stack - m.parts.handleBlocks - m.parts.malloc - m.parts.v8Heap),
            4,
          ),
        ],
        {
          labels,
          x: 'CoroJS backend @ idle fibers',
          y: 'KiB per fiber (stacked: sums to the RSS delta)',
          stacked: true,
        },
      );
    }
  }
  for (const sweep of data.sweep) {
    const labels = sweep.points.map((p) => (p.size >= 1 << 20 ? `${p.size >> 20} MiB` : `${p.size >> 10} KiB`));
    const marked = (fn) => sweep.points.map((p) => (p.size === 1 << 20 ? '#dc2626' : fn(p)));
    chart(
      fiberGrid,
      `Stack-size sweep (${sweep.target}): deepest recursion; 1 MiB (spec) in red`,
      'bar',
      [
        {
          label: 'frames before RangeError',
          data: sweep.points.map((p) => p.depth),
          backgroundColor: marked((p) => (p.tls ? '#2563eb' : INVALID)),
        },
      ],
      {
        labels,
        x: 'fiber stack size (grey: TLS handshake failed)',
        y: 'max recursion depth (frames, log)',
        yType: 'logarithmic',
      },
    );
    // Go's goroutines start small and grow by copying: their idle cost is the same at every reserved size.
    const go = data.goroutine
      ? [
          {
            label: `Go: RSS per idle goroutine (KiB, ${data.goroutine.count})`,
            data: sweep.points.map(() => data.goroutine.rss / 1024),
            backgroundColor: COLORS.go,
          },
          ...(data.goroutine.stack !== undefined
            ? [
                {
                  label: 'Go: stack per idle goroutine (KiB)',
                  data: sweep.points.map(() => data.goroutine.stack / 1024),
                  backgroundColor: '#9ca3af',
                },
              ]
            : []),
        ]
      : [];
    chart(
      fiberGrid,
      `Stack-size sweep (${sweep.target}): memory and spawn rate; 1 MiB marked${go.length ? '; Go beside it' : ''}`,
      'bar',
      [
        {
          label: 'RSS per idle fiber (KiB)',
          data: sweep.points.map((p) => p.rss / 1024),
          backgroundColor: marked(() => '#059669'),
        },
        {
          label: 'spawn+join per ms',
          data: sweep.points.map((p) => p.spawn / 1000),
          backgroundColor: marked(() => '#d97706'),
        },
        ...go,
      ],
      { labels, x: 'fiber stack size', y: 'KiB per fiber / fibers per ms' },
    );
  }

  // Trends across commits for every headline ratio.
  if (data.trends.length) {
    const s = section(
      `Trends across commits (${data.files} result file${data.files === 1 ? '' : 's'})`,
      'Headline ratios measured within each run (what CI gates on). Throughput ratios: higher is better; switch ratio: lower is better.',
    );
    const grid = el('div', { className: 'grid' });
    s.append(grid);
    const groups = new Map();
    for (const t of data.trends) {
      const kind = t.metric.split(' ')[0];
      const family =
        kind === 'switch'
          ? 'switch'
          : `${t.metric.split(' ')[1].split('/')[0]}${kind === 'cpu/op' ? ' CPU per operation' : ' throughput'}`;
      if (!groups.has(family)) groups.set(family, []);
      groups.get(family).push(t);
    }
    for (const [family, series] of groups) {
      const commits = [...new Set(series.flatMap((t) => t.points.map((p) => `${p.created_at}|${p.commit}`)))].sort();
      chart(
        grid,
        family === 'switch' ? 'Trend: CoroJS fiber switch / raw ucontext switch' : `Trend: ${family} ratios`,
        'line',
        series.map((t, i) => ({
          label: t.metric.replace(/^(ratio|switch|cpu\/op) /, ''),
          borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: PALETTE[i % PALETTE.length],
          pointRadius: 3,
          data: commits.map((c) => {
            const p = t.points.find((q) => `${q.created_at}|${q.commit}` === c);
            return p ? p.value : null;
          }),
        })),
        {
          labels: commits.map((c) => c.split('|')[1]),
          x: 'commit (oldest to newest)',
          y: family === 'switch' ? 'ratio (x raw switch)' : 'ratio (corojs / node)',
        },
      );
    }
  }
})();
