// The KPI dashboard: cards and inline-SVG bar charts (no libraries) from GET /v1/admin/kpis over
// a selectable date range, with the business targets drawn as lines.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const pct = (x) => (100 * x).toFixed(1) + ' %';

  function el(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /// Draws a vertical bar chart into `host`: items [{label, value, text}], values in [0, max];
  /// `target` (optional) draws a dashed line labelled `targetText`. Each bar carries data-label /
  /// data-value.
  function barChart(host, items, { max, target, targetText, title }) {
    const width = Math.max(320, 60 + items.length * 70), height = 220, top = 16, bottom = 40, left = 44;
    const plot = height - top - bottom;
    // Natural size (scaled down on narrow screens by CSS max-width), so text never balloons.
    const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width: String(width),
                            height: String(height), role: 'img', 'aria-label': title });
    svg.appendChild(el('title', {}, title));
    const scale = (v) => top + plot - (max > 0 ? (v / max) * plot : 0);
    svg.appendChild(el('line', { x1: left, y1: top + plot, x2: width - 8, y2: top + plot, class: 'axis' }));
    svg.appendChild(el('text', { x: left - 6, y: top + 4, 'text-anchor': 'end', class: 'tick' }, String(max)));
    svg.appendChild(el('text', { x: left - 6, y: top + plot, 'text-anchor': 'end', class: 'tick' }, '0'));
    items.forEach((item, i) => {
      const x = left + 12 + i * 70;
      const y = scale(item.value);
      const bar = el('rect', { x, y, width: 46, height: top + plot - y, class: 'bar',
                               'data-label': item.label, 'data-value': String(item.value) });
      bar.appendChild(el('title', {}, `${item.label}: ${item.text}`));
      svg.appendChild(bar);
      svg.appendChild(el('text', { x: x + 23, y: y - 4, 'text-anchor': 'middle', class: 'value' }, item.text));
      svg.appendChild(el('text', { x: x + 23, y: top + plot + 16, 'text-anchor': 'middle', class: 'label' },
                         item.label.length > 10 ? item.label.slice(0, 9) + '…' : item.label));
    });
    if (target !== undefined) {
      const y = scale(target);
      svg.appendChild(el('line', { x1: left, y1: y, x2: width - 8, y2: y, class: 'target',
                                   'data-target': String(target) }));
      svg.appendChild(el('text', { x: width - 8, y: y - 4, 'text-anchor': 'end', class: 'target-label' },
                         'meta ' + (targetText || String(target))));
    }
    if (!items.length) {
      svg.appendChild(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' },
                         'Sin datos en este periodo'));
    }
    host.replaceChildren(svg);
  }

  function card(id, text, good) {
    const value = $(id).querySelector('.value');
    value.textContent = text;
    value.className = 'value' + (good === undefined ? '' : good ? ' ok' : ' bad');
  }

  function render(k) {
    card('kpi-deflection', k.conversations ? pct(k.deflection.rate) : '—',
         k.conversations ? k.deflection.rate >= k.deflection.target : undefined);
    card('kpi-csat', k.csat.responses ? k.csat.average.toFixed(2) + ' / 5' : '—',
         k.csat.responses ? k.csat.average >= k.csat.target : undefined);
    card('kpi-response', k.conversations ? pct(k.csat.response_rate) : '—');
    card('kpi-thumbs', k.thumbs.up + k.thumbs.down ? pct(k.thumbs.up_ratio) : '—');
    card('kpi-conversations', String(k.conversations));
    card('kpi-fallbacks', String(k.answers.fallbacks));
    barChart($('chart-daily'), k.daily.map((d) => ({
      label: d.date.slice(5), value: Math.round(100 * d.deflection_rate), text: pct(d.deflection_rate) })),
      { max: 100, target: 100 * k.deflection.target, targetText: pct(k.deflection.target),
        title: 'Deflexión por día, en porcentaje' });
    const surveyed = k.daily.filter((d) => d.surveys > 0);
    barChart($('chart-csat-daily'), surveyed.map((d) => ({
      label: d.date.slice(5), value: Number(d.csat_average.toFixed(2)), text: d.csat_average.toFixed(2) })),
      { max: 5, target: k.csat.target, targetText: k.csat.target + ' / 5',
        title: 'CSAT medio por día, de 1 a 5' });
    barChart($('chart-csat'), k.csat.distribution.map((n, i) => ({
      label: String(i + 1), value: n, text: String(n) })),
      { max: Math.max(1, ...k.csat.distribution), title: 'Respuestas por puntuación de 1 a 5' });
    barChart($('chart-intents'), k.intents.slice(0, 10).map((c) => ({
      label: c.intent, value: Math.round(100 * c.containment_rate), text: pct(c.containment_rate) })),
      { max: 100, target: 100 * k.deflection.target, targetText: pct(k.deflection.target),
        title: 'Contención por intención, en porcentaje' });
    const providers = Object.entries(k.answers.by_provider || {}).sort((a, b) => b[1] - a[1]);
    const answerBars = providers.map(([name, n]) => ({ label: name, value: n, text: String(n) }));
    answerBars.push({ label: 'respaldos', value: k.answers.fallbacks, text: String(k.answers.fallbacks) });
    barChart($('chart-providers'), k.answers.total ? answerBars : [],
      { max: Math.max(1, ...answerBars.map((b) => b.value)),
        title: 'Respuestas por proveedor y respaldos del proveedor' });
    const lat = k.latency_ms;
    barChart($('chart-latency'), [['p50', lat.p50], ['p95', lat.p95], ['p99', lat.p99]].map(([l, v]) => ({
      label: l, value: v, text: v + ' ms' })),
      { max: Math.max(1, lat.p99), title: 'Percentiles de latencia en milisegundos' });
    const body = document.querySelector('#gaps tbody');
    body.replaceChildren(...k.knowledge_gaps.map((g) => {
      const row = document.createElement('tr');
      const text = document.createElement('td'); text.textContent = g.text;
      const count = document.createElement('td'); count.textContent = String(g.count);
      row.append(text, count);
      return row;
    }));
  }

  async function load() {
    const params = new URLSearchParams();
    if ($('from').value) params.set('from', $('from').value);
    if ($('to').value) params.set('to', $('to').value);
    $('range-status').textContent = 'Cargando…';
    try {
      const k = await AtiendeAdmin.fetchJson('/v1/admin/kpis?' + params.toString());
      render(k);
      const from = new Date(k.range.from_ms).toISOString().slice(0, 10);
      const to = new Date(k.range.to_ms - 1).toISOString().slice(0, 10);
      $('range-status').textContent = `Del ${from} al ${to}: ${k.conversations} conversaciones.`;
      document.body.dataset.loaded = 'true';
    } catch (err) {
      $('range-status').textContent = 'Error: ' + err.message;
    }
  }

  $('range').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  AtiendeAdmin.nav('dashboard');
  load();
})();
