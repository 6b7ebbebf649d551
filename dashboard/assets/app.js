// kgate dashboard: renders the page named by <body data-page> from /api.
//
// Contract: stored text (titles, names, notes) reaches the DOM only through
// textContent, text nodes and setAttribute on inert attributes; links are
// built from our own paths plus encodeURIComponent. Nothing is ever assigned
// to innerHTML, so a proposal titled "<script>..." is shown as text.
// Every chart point is an SVG <circle> carrying data-run="<run id>".
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const SCORES = ['benefit', 'overhead', 'generality', 'safety', 'maintainability'];
  const SCORE_COLORS = ['#0969da', '#8250df', '#bf8700', '#1a7f37', '#57606a'];
  // Column headers of the scores, short enough for a dense table (trailing
  // space: a numeric column).
  const SCORE_HEADS = ['benefit ', 'overhead ', 'general. ', 'safety ', 'maint. '];

  // h('a', {href: '/x', class: 'y'}, 'text', node, null) -> element.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    setAttrs(el, attrs);
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  function setAttrs(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'onclick' || k === 'onchange' || k === 'onsubmit') {
        el.addEventListener(k.slice(2), v);
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }

  async function api(path) {
    const res = await fetch(path, {headers: {Accept: 'application/json'}});
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) throw new Error((body && body.error) || `${res.status} ${res.statusText}`);
    return body;
  }

  // Stored numbers: JSON numbers, or "inf" / "-inf" / "nan".
  function num(x) {
    if (typeof x === 'number') return x;
    if (x === 'inf') return Infinity;
    if (x === '-inf') return -Infinity;
    return NaN;
  }
  function fixed(x, digits) {
    const v = num(x);
    if (Number.isNaN(v)) return '–';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    return v.toFixed(digits);
  }
  function general(x) {
    const v = num(x);
    if (!Number.isFinite(v)) return fixed(x, 0);
    return Math.abs(v) >= 1000 || v === Math.round(v) ? String(Math.round(v)) : v.toPrecision(4);
  }
  // "2026-11-25T10:05:00Z" -> "2026-11-25 10:05" (UTC, as the headers say).
  const when = (iso) => (iso || '').replace('T', ' ').replace('Z', '').slice(0, 16);
  const sha = (text) => (text || '').slice(0, 10);

  function verdict(v) {
    const text = v || 'not judged';
    return h('span', {class: `verdict verdict-${(v || 'none').toLowerCase()}`}, text);
  }
  function classification(c) {
    return h('span', {class: `cls cls-${c}`}, c);
  }
  const runLink = (id) => h('a', {href: `/runs/${id}`, 'data-run-link': id}, `#${id}`);
  const proposalLink = (name) =>
    h('a', {href: `/proposals/${encodeURIComponent(name)}`}, name);
  function score(v) {
    if (v === null || v === undefined) return h('td', {class: 'num muted'}, '–');
    return h('td', {class: 'num'}, Math.round(v));
  }

  function table(headers, rows, attrs) {
    return h('table', attrs || {},
             h('thead', {}, h('tr', {}, headers.map((x) =>
                 h('th', {class: x.endsWith(' ') ? 'num' : null}, x.trim())))),
             h('tbody', {}, rows));
  }

  const app = () => document.getElementById('app');
  function show(...nodes) { app().replaceChildren(...nodes); }
  function fail(err) {
    show(h('p', {class: 'error'}, `Could not load: ${err.message}`));
  }
  function params() { return new URLSearchParams(location.search); }
  function setParams(p) {
    const q = p.toString();
    history.replaceState(null, '', q ? `?${q}` : location.pathname);
  }
  function select(name, options, chosen) {
    return h('select', {name, id: `f-${name}`},
             options.map(([value, label]) =>
               h('option', {value, selected: value === chosen ? 'selected' : null}, label)));
  }
  function field(label, control) { return h('label', {}, h('span', {}, label), control); }

  // ---- / : runs ----
  async function runsPage() {
    const p = params();
    const proposals = (await api('/api/proposals')).proposals;
    const form = h('form', {class: 'filters', id: 'filters'},
      field('proposal', select('proposal', [['', 'any'], ...proposals.map((x) => [x.name, x.name])],
                               p.get('proposal') || '')),
      field('verdict', select('verdict', [['', 'any'], ['PASS', 'PASS'], ['FAIL', 'FAIL'],
                                          ['INCONCLUSIVE', 'INCONCLUSIVE'], ['none', 'not judged']],
                              p.get('verdict') || '')),
      field('since', h('input', {type: 'date', name: 'since', value: p.get('since') || ''})),
      field('until', h('input', {type: 'date', name: 'until', value: p.get('until') || ''})),
      h('button', {type: 'submit'}, 'Filter'));
    const count = h('p', {class: 'count muted', id: 'run-count'});
    const holder = h('div', {class: 'scroll'});
    show(h('h1', {}, 'Runs'), form, count, holder);
    async function load() {
      const q = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
      setParams(q);
      const runs = (await api(`/api/runs?${q}`)).runs;
      count.textContent = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
      holder.replaceChildren(table(
        ['run', 'started (UTC)', 'proposal', 'title', 'verdict', 'tier', 'policy',
         ...SCORE_HEADS, 'candidate kernel', 'kgate sha'],
        runs.map((r) => h('tr', {'data-run': r.id},
          h('td', {}, runLink(r.id)), h('td', {class: 'nowrap'}, when(r.started_at)),
          h('td', {}, proposalLink(r.proposal)), h('td', {class: 'title'}, r.title),
          // A run that did not finish says so beside its verdict.
          h('td', {}, verdict(r.verdict),
            r.status === 'done' ? null : h('span', {class: 'muted'}, ` ${r.status}`)),
          h('td', {}, r.tier), h('td', {}, r.policy || ''),
          SCORES.map((k) => score(r.scores[k])),
          h('td', {class: 'mono'}, (r.kernels && r.kernels.candidate) || ''),
          h('td', {class: 'mono'}, sha(r.git_sha)))),
        {id: 'runs'}));
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); load().catch(fail); });
    form.addEventListener('change', () => load().catch(fail));
    await load();
  }

  // ---- /runs/<id> : the report under a navigation bar ----
  async function runPage() {
    const id = location.pathname.split('/')[2];
    const doc = await api(`/api/runs/${id}`);
    const v = doc.verdict;
    show(h('div', {class: 'runhead'},
      h('a', {href: '/', class: 'back'}, '← all runs'),
      h('h1', {id: 'run-title'}, `Run #${doc.run.id} · `, doc.run.title || doc.run.proposal),
      h('p', {}, verdict(v && v.verdict), ' ',
        h('span', {class: 'muted'}, 'proposal '), proposalLink(doc.run.proposal),
        h('span', {class: 'muted'}, ` · started ${when(doc.context.started_at)} · tier ${
          doc.context.tier} · kgate ${sha(doc.context.git_sha)} · `),
        h('a', {href: `/api/runs/${id}`}, 'JSON'), ' · ',
        h('a', {href: `/runs/${id}/report`}, 'report alone'))),
      h('iframe', {class: 'report', src: `/runs/${id}/report`, sandbox: '',
                   title: 'run report', id: 'report'}));
  }

  // ---- /proposals ----
  async function proposalsPage() {
    const list = (await api('/api/proposals')).proposals;
    show(h('h1', {}, 'Proposals'), table(
      ['proposal', 'title', 'runs ', 'last run', 'last started (UTC)', 'last verdict'],
      list.map((p) => h('tr', {},
        h('td', {}, proposalLink(p.name)), h('td', {class: 'title'}, p.title),
        h('td', {class: 'num'}, p.runs), h('td', {}, runLink(p.last_run)),
        h('td', {class: 'nowrap'}, when(p.last_started_at)), h('td', {}, verdict(p.last_verdict))))));
  }

  // A chart frame: x positions for n points, y scale over [lo, hi].
  function frame(n, lo, hi, height) {
    const W = Math.max(560, Math.min(1100, 90 * n + 160)), H = height, L = 64, R = 16, T = 14,
          B = 34, P = 22;  // P: inner padding so end points and their rings stay inside
    const x = (i) => (n <= 1 ? L + (W - L - R) / 2 : L + P + i * (W - L - R - 2 * P) / (n - 1));
    const y = (v) => T + (hi - v) / (hi - lo || 1) * (H - T - B);
    return {W, H, L, R, T, B, x, y};
  }
  function axis(f, ticks, label) {
    const g = s('g', {class: 'axis'});
    for (const t of ticks) {
      g.append(s('line', {x1: f.L, x2: f.W - f.R, y1: f.y(t), y2: f.y(t), class: 'grid'}),
               s('text', {x: f.L - 6, y: f.y(t) + 4, 'text-anchor': 'end'}, label(t)));
    }
    return g;
  }
  function xLabels(f, labels) {
    return s('g', {class: 'axis'}, labels.map((text, i) =>
      s('text', {x: f.x(i), y: f.H - f.B + 16, 'text-anchor': 'middle'}, text)));
  }

  // ---- /proposals/<name> : verdict and scores over time ----
  async function proposalPage() {
    const name = decodeURIComponent(location.pathname.split('/')[2]);
    const hist = await api(`/api/proposals/${encodeURIComponent(name)}/history`);
    const runs = hist.runs;
    const f = frame(runs.length, 0, 100, 240);
    const chart = s('svg', {viewBox: `0 0 ${f.W} ${f.H}`, width: f.W, height: f.H,
                            class: 'chart', id: 'scores-chart', role: 'img'},
      axis(f, [0, 25, 50, 75, 100], String),
      xLabels(f, runs.map((r) => `#${r.run}`)));
    SCORES.forEach((k, si) => {
      const pts = runs.map((r, i) => [i, r.scores[k]]).filter(([, v]) => v !== null);
      if (pts.length > 1) {
        chart.append(s('polyline', {points: pts.map(([i, v]) => `${f.x(i)},${f.y(v)}`).join(' '),
                                    fill: 'none', stroke: SCORE_COLORS[si], 'stroke-width': 1.5}));
      }
      for (const [i, v] of pts) {
        chart.append(s('circle', {cx: f.x(i), cy: f.y(v), r: 3.5, fill: SCORE_COLORS[si],
                                  'data-score': k, 'data-run': runs[i].run},
                       s('title', {}, `run #${runs[i].run}: ${k} ${Math.round(v)}`)));
      }
    });
    // One verdict marker per run along the bottom.
    runs.forEach((r, i) => chart.append(
      s('rect', {x: f.x(i) - 5, y: f.H - f.B + 22, width: 10, height: 8,
                 class: `mark mark-${(r.verdict || 'none').toLowerCase()}`, 'data-run': r.run},
        s('title', {}, `run #${r.run}: ${r.verdict || 'not judged'}`))));
    const legend = h('p', {class: 'legend'}, SCORES.map((k, i) =>
      h('span', {}, h('i', {class: `swatch sw-${i}`}), k)));
    show(h('h1', {}, 'Proposal ', h('span', {id: 'proposal-name'}, name)),
      h('p', {class: 'title', id: 'proposal-title'}, hist.title),
      chart, legend,
      table(['run', 'started (UTC)', 'verdict', 'tier', 'policy',
             ...SCORE_HEADS, 'candidate kernel', 'kgate sha'],
        runs.map((r) => h('tr', {'data-run': r.run},
          h('td', {}, runLink(r.run)), h('td', {class: 'nowrap'}, when(r.started_at)),
          h('td', {}, verdict(r.verdict)), h('td', {}, r.tier), h('td', {}, r.policy || ''),
          SCORES.map((k) => score(r.scores[k])),
          h('td', {class: 'mono'}, r.candidate_kernel), h('td', {class: 'mono'}, sha(r.git_sha)))),
        {id: 'history'}));
  }

  // ---- /trend : one metric's effect per run ----
  async function trendPage() {
    const p = params();
    const [series, proposals] = await Promise.all([api('/api/scenarios'), api('/api/proposals')]);
    // Options are indices into series: names may hold any character.
    const list = series.series;
    const pairs = list.map((x, i) => [String(i), `${x.scenario} · ${x.metric} (${x.runs} runs)`]);
    const found = list.findIndex((x) => x.scenario === p.get('scenario') &&
                                        x.metric === p.get('metric'));
    const chosen = String(found >= 0 ? found : 0);
    const form = h('form', {class: 'filters', id: 'trend-form'},
      field('scenario · metric', select('series', pairs, chosen)),
      field('proposal', select('proposal', [['', 'any'], ...proposals.proposals.map((x) =>
        [x.name, x.name])], p.get('proposal') || '')),
      field('arm', h('input', {name: 'arm', value: p.get('arm') || 'candidate', size: 12})),
      h('button', {type: 'submit'}, 'Show'));
    const out = h('div', {id: 'trend'});
    show(h('h1', {}, 'Trend'),
      h('p', {class: 'muted'}, 'Effect of the arm against the baseline in each run, with its ' +
        'confidence interval; a ring marks a run whose interval is disjoint from the previous ' +
        'one: the commit or kernel that moved the metric.'), form, out);
    async function load() {
      const fd = new FormData(form);
      const picked = list[Number(fd.get('series'))];
      const scenario = picked ? picked.scenario : '';
      const q = new URLSearchParams({scenario, metric: picked ? picked.metric : ''});
      if (fd.get('proposal')) q.set('proposal', fd.get('proposal'));
      if (fd.get('arm') && fd.get('arm') !== 'candidate') q.set('arm', fd.get('arm'));
      setParams(q);
      if (!scenario) { out.replaceChildren(h('p', {}, 'No comparisons stored yet.')); return; }
      renderTrend(out, await api(`/api/trend?${q}`));
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); load().catch(fail); });
    form.addEventListener('change', () => load().catch(fail));
    await load();
  }

  function renderTrend(out, t) {
    const pts = t.points;
    if (!pts.length) { out.replaceChildren(h('p', {}, 'No run has this comparison.')); return; }
    const finite = pts.flatMap((p) => [num(p.effect), num(p.ci_low), num(p.ci_high)])
                      .filter(Number.isFinite);
    let lo = Math.min(1, ...finite), hi = Math.max(1, ...finite);
    const pad = (hi - lo) * 0.1 || 0.05;
    lo -= pad; hi += pad;
    const f = frame(pts.length, lo, hi, 280);
    // Round tick values: 1, 2, 2.5 or 5 times a power of ten, 4 to 7 of them.
    const raw = (hi - lo) / 6, mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => x >= raw);
    const ticks = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) ticks.push(t);
    const digits = Math.max(0, -Math.floor(Math.log10(step)) + (step / mag === 2.5 ? 1 : 0));
    const chart = s('svg', {viewBox: `0 0 ${f.W} ${f.H}`, width: f.W, height: f.H,
                            class: 'chart', id: 'trend-chart', role: 'img'},
      axis(f, ticks, (v) => `×${v.toFixed(digits)}`),
      s('line', {x1: f.L, x2: f.W - f.R, y1: f.y(1), y2: f.y(1), class: 'unity'}),
      xLabels(f, pts.map((p) => `#${p.run}`)));
    const clamp = (v) => Math.min(hi, Math.max(lo, v));
    pts.forEach((p, i) => {
      const e = num(p.effect);
      chart.append(s('line', {x1: f.x(i), x2: f.x(i), y1: f.y(clamp(num(p.ci_low))),
                              y2: f.y(clamp(num(p.ci_high))), class: `ci cls-${p.classification}`}));
      if (p.moved) chart.append(s('circle', {cx: f.x(i), cy: f.y(clamp(e)), r: 9, class: 'moved'}));
      chart.append(s('circle', {cx: f.x(i), cy: f.y(clamp(e)), r: 5,
                                class: `point cls-${p.classification}`, 'data-run': p.run},
        s('title', {}, `run #${p.run} ${when(p.started_at)}: ×${fixed(p.effect, 3)} ` +
          `[${fixed(p.ci_low, 3)}, ${fixed(p.ci_high, 3)}] ${p.classification}; kernel ${
            p.kernel_version}; kgate ${sha(p.git_sha)}`)));
    });
    out.replaceChildren(
      h('h2', {}, `${t.scenario} · ${t.metric}: ${t.arm} against ${t.reference}`), chart,
      h('div', {class: 'scroll'}, table(['run', 'started (UTC)', 'proposal', 'shape', 'effect ', 'CI ', 'class',
             'arm median ', 'ref median ', 'kernel', 'kernel ref', 'kgate sha', 'moved'],
        pts.map((p) => h('tr', {'data-run': p.run, class: p.moved ? 'moved' : null},
          h('td', {}, runLink(p.run)), h('td', {class: 'nowrap'}, when(p.started_at)),
          h('td', {}, proposalLink(p.proposal)), h('td', {}, p.shape),
          h('td', {class: 'num'}, `×${fixed(p.effect, 3)}`),
          h('td', {class: 'num nowrap'}, `[${fixed(p.ci_low, 3)}, ${fixed(p.ci_high, 3)}]`),
          h('td', {}, classification(p.classification)),
          h('td', {class: 'num'}, `${general(p.median_arm)} ${p.unit}`),
          h('td', {class: 'num'}, `${general(p.median_reference)} ${p.unit}`),
          h('td', {class: 'mono'}, p.kernel_version), h('td', {class: 'mono'}, p.kernel_ref),
          h('td', {class: 'mono'}, sha(p.git_sha)), h('td', {}, p.moved ? 'moved' : ''))),
        {id: 'trend-table'})));
  }

  // ---- /compare : any two runs ----
  async function comparePage() {
    const p = params();
    const runs = (await api('/api/runs')).runs;
    const opts = runs.map((r) => [String(r.id), `#${r.id} ${r.proposal} ${when(r.started_at)}`]);
    const a = p.get('a') || (runs[1] ? String(runs[1].id) : '');
    const b = p.get('b') || (runs[0] ? String(runs[0].id) : '');
    const form = h('form', {class: 'filters', id: 'compare-form'},
      field('reference run', select('a', opts, a)), field('against run', select('b', opts, b)),
      field('arm', h('input', {name: 'arm', value: p.get('arm') || 'candidate', size: 12})),
      field('policy', h('input', {name: 'policy', value: p.get('policy') || 'mainline', size: 10})),
      h('button', {type: 'submit'}, 'Compare'));
    const out = h('div', {id: 'compare'});
    show(h('h1', {}, 'Compare two runs'), form, out);
    async function load() {
      const q = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
      setParams(q);
      if (!q.get('a') || !q.get('b')) return;
      let c;
      try { c = await api(`/api/compare?${q}`); } catch (err) {
        out.replaceChildren(h('p', {class: 'error'}, err.message));
        return;
      }
      const side = (x) => `run #${x.run} ${x.arm} (kernel ${x.kernel || 'unknown'}, tier ${x.tier})`;
      out.replaceChildren(
        h('p', {}, `${side(c.arm)} against ${side(c.reference)}, policy ${c.policy}`),
        table(['scenario', 'metric', 'shape', 'ref median ', 'arm median ', 'unit', 'effect ',
               'CI ', 'q ', 'class', 'note'],
          c.comparisons.map((r) => h('tr', {class: r.decides ? null : 'nodecide'},
            h('td', {}, r.scenario), h('td', {}, r.metric), h('td', {}, r.shape),
            h('td', {class: 'num'}, general(r.median_reference)),
            h('td', {class: 'num'}, general(r.median_arm)), h('td', {}, r.unit),
            h('td', {class: 'num'}, `×${fixed(r.effect, 3)}`),
            h('td', {class: 'num nowrap'}, `[${fixed(r.ci_low, 3)}, ${fixed(r.ci_high, 3)}]`),
            h('td', {class: 'num'}, fixed(r.q_value, 3)),
            h('td', {}, classification(r.classification)), h('td', {class: 'muted wrap'}, r.note))),
          {id: 'compare-table'}));
    }
    form.addEventListener('submit', (e) => { e.preventDefault(); load().catch(fail); });
    await load();
  }

  const pages = {runs: runsPage, run: runPage, proposals: proposalsPage, proposal: proposalPage,
                 trend: trendPage, compare: comparePage};
  document.addEventListener('DOMContentLoaded', () => {
    const page = document.body.dataset.page;
    const nav = {run: 'runs', proposal: 'proposals'}[page] || page;
    for (const a of document.querySelectorAll('[data-nav]')) {
      if (a.dataset.nav === nav) a.classList.add('current');
    }
    (pages[page] || runsPage)().then(() => document.body.setAttribute('data-ready', '1'))
      .catch((err) => { fail(err); document.body.setAttribute('data-ready', 'error'); });
  });
})();
