// Chromium end-to-end test of the KPI dashboard (/admin): conversations are seeded through the
// HTTP API (answers, an abstention, a handoff, surveys, thumbs), then the page is opened with the
// admin key and its cards and SVG charts are checked against the seeded numbers.
// Usage: node dashboard_test.js <path to atiende binary> <repo root>
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, startServer, runTests, assert } = require('./harness');

const binary = process.argv[2];
const root = process.argv[3];
const ADMIN_KEY = 'web-test-admin-key-dashboard-01';

async function post(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                      body: JSON.stringify(body) });
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
  return {
    url: base,
    async teardown() { await server.stop(); fs.rmSync(data, { recursive: true, force: true }); },
  };
}

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
];

runTests(tests, setup);
