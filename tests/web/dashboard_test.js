// Chromium end-to-end test of the KPI dashboard (/admin) and the blind A/B page (/admin/ab.html):
// conversations are seeded through the HTTP API (answers, an abstention, a handoff, surveys,
// thumbs) and an `eval run` report is imported as an A/B study; then the pages are opened with
// the admin key, the dashboard's cards and SVG charts are checked against the seeded numbers, and
// a rater votes on the A/B page and sees the summary (win rates, Cohen's kappa) update.
// Usage: node dashboard_test.js <path to atiende binary> <repo root>
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, startServer, runTests, assert } = require('./harness');

const binary = process.argv[2];
const root = process.argv[3];
const ADMIN_KEY = 'web-test-admin-key-dashboard-01';

async function post(url, body, headers = {}) {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body),
                                      headers: { 'Content-Type': 'application/json', ...headers } });
  const data = await response.json();
  if (!response.ok) throw new Error(url + ': ' + JSON.stringify(data));
  return data;
}

async function conversation(base, text) {
  const { session_id: id } = await post(base + '/v1/chat/sessions', {});
  const answer = await post(`${base}/v1/chat/sessions/${id}/messages`, { text });
  return { id, answer };
}

async function setup() {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-web-dashboard-'));
  const env = { ...process.env, ATIENDE_LOG_LEVEL: 'warn', ATIENDE_ADMIN_API_KEY: ADMIN_KEY };
  delete env.ATIENDE_LLM_PROVIDER;
  run(binary, ['--data', data, 'ingest', path.join(root, 'data/demo')], env);
  const server = await startServer(binary, data, env);
  const base = server.url;
  // Two answered and satisfied customers, one unanswered question, one handoff.
  const a = await conversation(base, '¿Cómo activo la eSIM en mi teléfono?');
  await post(`${base}/v1/chat/sessions/${a.id}/survey`, { csat: 5, resolved: true });
  await post(`${base}/v1/chat/sessions/${a.id}/feedback`, { message_id: a.answer.message_id, rating: 'up' });
  const b = await conversation(base, '¿Qué incluye el roaming en Europa?');
  await post(`${base}/v1/chat/sessions/${b.id}/survey`, { csat: 4, resolved: true });
  const gap = await conversation(base, '¿venden seguros para mascotas?');
  assert(gap.answer.abstained, 'the nonsense question abstains');
  await post(`${base}/v1/chat/sessions/${gap.id}/survey`, { csat: 2, resolved: false });
  await conversation(base, 'quiero hablar con un agente humano');
  // An A/B study from a report.json as `atiende eval run` writes it.
  const study = await post(base + '/v1/admin/ab/studies', { report: AB_REPORT },
                           { Authorization: 'Bearer ' + ADMIN_KEY });
  assert(study.items === 3, 'three A/B items: ' + JSON.stringify(study));
  return {
    url: base,
    study: study.id,
    async teardown() { await server.stop(); fs.rmSync(data, { recursive: true, force: true }); },
  };
}

const AB_REPORT = {
  configs: [{ name: 'solo-bm25' }, { name: 'hibrido-rerank' }],
  questions: [1, 2, 3].map((n) => ({
    id: `q${n}`,
    question: `¿Pregunta de prueba número ${n}?`,
    reference_answer: `Referencia ${n}`,
    answers: {
      'solo-bm25': { text: `Respuesta corta ${n}.`, citations: [{ doc_id: `doc-${n}`, title: `Guía ${n}` }],
                     latency_ms: 10, metrics: { rougeL: 0.2 } },
      'hibrido-rerank': { text: `Respuesta completa ${n} con pasos.`, citations: [], latency_ms: 40 },
    },
  })),
};

async function login(page, url) {
  await page.goto(url);
  await page.waitForSelector('#admin-login:not([hidden])');
  await page.fill('#admin-key', ADMIN_KEY);
  await page.press('#admin-key', 'Enter');
  await page.waitForSelector('body[data-loaded="true"]');
}

const barValues = (page, chart) => page.$$eval(`#${chart} rect.bar`,
  (bars) => bars.map((b) => Number(b.getAttribute('data-value'))));

const tests = [
  ['the dashboard renders the seeded KPIs as cards and SVG charts', async (page, env) => {
    await login(page, env.url + '/admin');
    const text = async (id) => (await page.textContent(`#${id} .value`)).trim();
    assert((await text('kpi-conversations')) === '4', 'four conversations');
    assert((await text('kpi-deflection')) === '50.0 %', 'deflection 2 of 4: ' + await text('kpi-deflection'));
    assert((await text('kpi-csat')) === '3.67 / 5', 'CSAT (5+4+2)/3: ' + await text('kpi-csat'));
    assert((await text('kpi-thumbs')) === '100.0 %', 'one thumbs up');
    assert(await page.$('#kpi-deflection .value.bad'), 'deflection below the 70 % target is flagged');
    const csat = await barValues(page, 'chart-csat');
    assert(JSON.stringify(csat) === '[0,1,0,1,1]', 'CSAT distribution bars: ' + JSON.stringify(csat));
    const daily = await barValues(page, 'chart-daily');
    assert(daily.length === 1 && daily[0] === 50, 'one day at 50 %: ' + JSON.stringify(daily));
    assert(await page.$('#chart-daily line.target[data-target="70"]'), 'the 70 % target line is drawn');
    const intents = await page.$$eval('#chart-intents rect.bar', (b) => b.map((x) => x.getAttribute('data-label')));
    assert(intents.includes('escalar_a_agente'), 'containment per intent: ' + intents.join(','));
    assert((await barValues(page, 'chart-latency')).length === 3, 'latency percentiles');
    const csatDaily = await barValues(page, 'chart-csat-daily');
    assert(csatDaily.length === 1 && csatDaily[0] === 3.67, 'daily CSAT: ' + JSON.stringify(csatDaily));
    assert(await page.$('#chart-csat-daily line.target[data-target="4"]'), 'the 4/5 target line is drawn');
    const providers = await page.$$eval('#chart-providers rect.bar', (b) => b.map((x) => x.getAttribute('data-label')));
    assert(providers.includes('builtin') && providers.includes('respaldos'),
           'answers per provider and fallbacks: ' + providers.join(','));
    const gaps = await page.textContent('#gaps tbody');
    assert(/seguros para mascotas/.test(gaps), 'the unanswered question is listed as a knowledge gap');
  }],
  ['a range without conversations shows empty charts', async (page, env) => {
    await login(page, env.url + '/admin/');
    await page.fill('#from', '2020-01-01');
    await page.fill('#to', '2020-01-31');
    await page.click('#range button[type="submit"]');
    await page.waitForFunction(() => /0 conversaciones/.test(document.getElementById('range-status').textContent));
    assert((await barValues(page, 'chart-daily')).length === 0, 'no daily bars');
    assert(/Sin datos/.test(await page.textContent('#chart-daily')), 'empty-state text');
  }],
  ['a rater votes blind on the A/B page and the summary updates', async (page, env) => {
    await login(page, env.url + '/admin/ab.html');
    assert((await page.$$('#study option')).length === 1, 'the imported study is listed');
    await page.fill('#rater', 'ana');
    await page.click('#setup button[type="submit"]');
    await page.waitForSelector('#rating:not([hidden])');
    assert(/0 de 3/.test(await page.textContent('#progress')), 'progress starts at 0 of 3');
    const shown = await page.textContent('#rating');
    assert(!/solo-bm25|hibrido-rerank|latency|rougeL/.test(shown), 'config names and metrics are hidden');
    const a = await page.textContent('#answer-a');
    const b = await page.textContent('#answer-b');
    assert(/Respuesta (corta|completa)/.test(a) && /Respuesta (corta|completa)/.test(b) && a !== b,
           'two different answers side by side');
    await page.click('#vote-a');
    await page.waitForSelector('#progress[data-rated="1"]');
    await page.fill('#comment', 'la B explica los pasos');
    await page.click('#vote-tie');
    await page.waitForSelector('#progress[data-rated="2"]');
    await page.click('#vote-b');
    await page.waitForSelector('#done:not([hidden])');
    await page.click('#results summary');
    await page.waitForSelector('#results-status[data-votes="3"]');
    const rows = await page.$$eval('#scores tbody tr', (trs) => trs.map((tr) =>
      [...tr.cells].map((td) => td.textContent)));
    assert(rows.length === 2 && rows[0][0] === 'solo-bm25' && rows[1][0] === 'hibrido-rerank',
           'both configs are scored: ' + JSON.stringify(rows));
    assert(Number(rows[0][1]) + Number(rows[1][1]) === 2, 'two decisive votes: ' + JSON.stringify(rows));
    assert(rows[0][3] === '1' && rows[1][3] === '1', 'one tie');
    assert((await page.getAttribute('#kappa', 'data-value')) === '', 'no kappa with one rater');
    assert(/la B explica los pasos/.test(await page.textContent('#comments')), 'the comment is listed');

    // A second rater judges the same items through the API: agreement appears.
    const auth = { Authorization: 'Bearer ' + ADMIN_KEY };
    for (;;) {
      const next = await (await fetch(`${env.url}/v1/admin/ab/studies/${env.study}/next?rater=luis`,
                                      { headers: auth })).json();
      if (!next.item) break;
      await post(`${env.url}/v1/admin/ab/studies/${env.study}/votes`,
                 { item_id: next.item.id, rater: 'luis', choice: 'tie' }, auth);
    }
    await page.reload();
    await page.waitForSelector('body[data-loaded="true"]');
    await page.click('#results summary');
    await page.waitForSelector('#results-status[data-votes="6"]');
    assert((await page.$$('#pairs tbody tr')).length === 1, 'one pair of raters');
    assert(/ana \/ luis/.test(await page.textContent('#pairs')), 'the pair is named');
    const kappa = await page.getAttribute('#kappa', 'data-value');
    assert(kappa !== '' && Number.isFinite(Number(kappa)), 'Cohen\'s kappa is shown: ' + kappa);
  }],
];

runTests(tests, setup);
