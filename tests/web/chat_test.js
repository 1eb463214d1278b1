// Chromium end-to-end tests of the customer chat: ask a demo question, see streamed text and a
// citation, open the source, rate the answer, and answer the CSAT survey.
// Usage: node chat_test.js <path to atiende binary> <repo root>
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, startServer, runTests, assert } = require('./harness');

const binary = process.argv[2];
const root = process.argv[3];

async function setup() {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-web-'));
  const env = { ...process.env, ATIENDE_LOG_LEVEL: 'warn' };
  run(binary, ['--data', data, 'ingest', path.join(root, 'data/demo')], env);
  const server = await startServer(binary, data, env);
  // A knowledge-base article whose text carries HTML: it must reach the page as text.
  const xss = await fetch(server.url + '/v1/documents', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 'faq-marcado', type: 'faq', title: '¿Qué es el código de marcado especial?',
                           text: 'El código de marcado especial es <img src=x onerror="window.__xss=1"> ' +
                                 'seguido de <script>window.__xss=2</script> y nada más.' }),
  });
  if (!xss.ok) throw new Error('could not add the HTML article: ' + xss.status);
  return {
    url: server.url,
    async teardown() { await server.stop(); fs.rmSync(data, { recursive: true, force: true }); },
  };
}

async function ask(page, question) {
  await page.fill('#input', question);
  await page.press('#input', 'Enter');
  // The answer is complete when the feedback buttons appear (sent after the `done` event).
  await page.waitForSelector('.msg.bot .feedback button[data-rating="up"]');
  const answers = await page.$$('.msg.bot');
  return answers[answers.length - 1];
}

const tests = [
  ['page loads in Spanish with an accessible composer', async (page, env) => {
    await page.goto(env.url + '/?lang=es');
    assert((await page.getAttribute('html', 'lang')) === 'es', 'html lang is es');
    assert((await page.textContent('h1')).includes('Asistente'), 'Spanish title');
    const label = await page.textContent('label[for="input"]');
    assert(label && label.trim().length > 0, 'composer has a label');
  }],
  ['a demo question streams an answer with a citation that opens its source', async (page, env) => {
    await page.goto(env.url + '/?lang=es');
    const answer = await ask(page, '¿Cómo activo la eSIM en mi teléfono?');
    const text = await answer.textContent();
    assert(text.length > 40, 'answer has text: ' + text);
    const cite = await answer.$('a.cite');
    assert(cite, 'answer has a numbered citation link');
    await cite.click();
    await page.waitForSelector('dialog#source[open]');
    const snippet = await page.textContent('#source-text');
    assert(snippet.length > 20, 'source snippet is shown');
  }],
  ['training consent is off unless the customer ticks it, then fixed for the session', async (page, env) => {
    await page.goto(env.url + '/?lang=es');
    assert(!(await page.isChecked('#consent')), 'consent box starts unticked');
    let created = page.waitForRequest((r) => r.url().endsWith('/v1/chat/sessions') && r.method() === 'POST');
    await ask(page, '¿Cómo activo la eSIM en mi teléfono?');
    assert(JSON.parse((await created).postData()).consent === false, 'session created without consent');
    assert(await page.isDisabled('#consent'), 'consent fixed once the session exists');

    await page.goto(env.url + '/?lang=es');
    await page.check('#consent');
    created = page.waitForRequest((r) => r.url().endsWith('/v1/chat/sessions') && r.method() === 'POST');
    await ask(page, '¿Qué incluye el roaming en Europa?');
    assert(JSON.parse((await created).postData()).consent === true, 'ticked box gives consent');
  }],
  ['HTML inside an answer or its source is shown as text, never run', async (page, env) => {
    await page.goto(env.url + '/?lang=es');
    const answer = await ask(page, '¿Qué es el código de marcado especial?');
    const text = await answer.textContent();
    assert(text.includes('<img src=x'), 'the markup is shown literally: ' + text);
    assert((await answer.$('img')) === null && (await answer.$('script')) === null, 'no element injected');
    const cite = await answer.$('a.cite');
    if (cite) {
      await cite.click();
      await page.waitForSelector('dialog#source[open]');
      assert((await page.$('#source-text img')) === null, 'no element injected in the source dialog');
    }
    assert((await page.evaluate(() => window.__xss)) === undefined, 'no injected script ran');
  }],
  ['thumbs up is recorded and shown as pressed', async (page, env) => {
    await page.goto(env.url + '/?lang=es');
    const answer = await ask(page, '¿Qué incluye el roaming en Europa?');
    const up = await answer.$('.feedback button[data-rating="up"]');
    const response = page.waitForResponse((r) => r.url().includes('/feedback'));
    await up.click();
    assert((await response).ok(), 'feedback accepted by the server');
    assert((await up.getAttribute('aria-pressed')) === 'true', 'button pressed');
  }],
  ['the CSAT survey is offered and accepted', async (page, env) => {
    await page.goto(env.url + '/?lang=es');
    await ask(page, '¿Cómo pago mi factura?');
    await page.click('#resolved-yes');
    await page.check('input[name="csat"][value="5"]');
    const response = page.waitForResponse((r) => r.url().includes('/survey'));
    await page.click('#survey-send');
    assert((await response).ok(), 'survey accepted by the server');
    await page.waitForSelector('#survey', { state: 'hidden' });
  }],
  ['the English toggle switches the interface', async (page, env) => {
    await page.goto(env.url + '/?lang=es');
    await page.click('#lang');
    assert((await page.getAttribute('html', 'lang')) === 'en', 'html lang is en');
    assert((await page.textContent('h1')).includes('Assistant'), 'English title');
  }],
];

runTests(tests, setup);
