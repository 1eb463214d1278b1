// Chromium end-to-end tests of account tasks and handoff (issue 5): a logged-in demo customer asks
// for more 5G data and confirms with the "Confirmar" button, orders a phone, an anonymous visitor
// is asked to log in, and a handoff appears in the admin inbox whose reply reaches the chat.
// Usage: node actions_test.js <path to atiende binary> <repo root>
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, startServer, runTests, assert } = require('./harness');

const binary = process.argv[2];
const root = process.argv[3];
const ADMIN_KEY = 'web-test-admin-key-0123456789';

async function setup() {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-web-actions-'));
  const env = { ...process.env, ATIENDE_LOG_LEVEL: 'warn', ATIENDE_ADMIN_API_KEY: ADMIN_KEY };
  delete env.ATIENDE_LLM_PROVIDER;  // the built-in provider: intents + forms
  run(binary, ['--data', data, 'ingest', path.join(root, 'data/demo')], env);
  const token = (customer) => run(binary, ['--data', data, 'token', '--customer', customer], env).trim();
  const tokens = { plan: token('CUST-1001'), phone: token('CUST-1002'), handoff: token('CUST-1003') };
  const server = await startServer(binary, data, env);
  return {
    url: server.url,
    tokens,
    async teardown() { await server.stop(); fs.rmSync(data, { recursive: true, force: true }); },
  };
}

// Sends `text` and resolves with the newest bot message once its turn is done.
async function say(page, text) {
  const before = (await page.$$('.msg.bot .feedback')).length;
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.msg.bot .feedback').length > n, before);
  const answers = await page.$$('.msg.bot');
  return answers[answers.length - 1];
}

const tests = [
  ['a logged-in customer gets a plan preview and confirms it with the button', async (page, env) => {
    await page.goto(env.url + '/?lang=es&token=' + encodeURIComponent(env.tokens.plan));
    const answer = await say(page, 'quiero más datos 5G');
    const confirm = await answer.waitForSelector('.action button.confirm');
    assert((await confirm.textContent()).trim() === 'Confirmar', 'Confirmar button');
    assert(await answer.$('.action button.cancel'), 'Cancelar button');
    const summary = await answer.textContent();
    assert(/Plan 5G 20 GB/.test(summary) && /COP/.test(summary), 'preview names plan and price: ' + summary);
    const confirmed = page.waitForResponse((r) => r.url().endsWith('/confirm'));
    await confirm.click();
    assert((await confirmed).ok(), 'confirm accepted');
    const done = await answer.waitForSelector('.action.done');
    assert(/Plan 5G 20 GB/.test(await done.textContent()), 'result names the new plan');
    assert(await confirm.isDisabled(), 'buttons are disabled after deciding (no double click)');
    const account = await say(page, '¿qué plan tengo?');
    const accountText = await account.textContent();
    assert(/Tu plan es Plan 5G 20 GB/.test(accountText), 'the account shows the new plan: ' + accountText);
  }],
  ['a customer orders a phone and confirms by text', async (page, env) => {
    await page.goto(env.url + '/?lang=es&token=' + encodeURIComponent(env.tokens.phone));
    const preview = await say(page, 'quiero pedir un Galaxy A56 5G color grafito');
    await preview.waitForSelector('.action button.confirm');
    assert(/1\.899\.900 COP/.test(await preview.textContent()), 'preview has the price');
    const result = await say(page, 'sí, confírmalo');
    assert(/ORD-\d+/.test(await result.textContent()), 'order number in the answer');
  }],
  ['an anonymous visitor is asked to log in', async (page, env) => {
    await page.goto(env.url + '/?lang=es');
    const answer = await say(page, 'quiero más datos 5G');
    assert(/inicies sesión/.test(await answer.textContent()), 'asked to log in');
    assert(!(await answer.$('.action button.confirm')), 'no confirm button for anonymous users');
  }],
  ['a handoff shows in the admin inbox and the agent reply reaches the chat', async (page, env) => {
    await page.goto(env.url + '/?lang=es&token=' + encodeURIComponent(env.tokens.handoff));
    const answer = await say(page, 'quiero hablar con un agente humano');
    const ticket = (await answer.textContent()).match(/tkt_[0-9a-f]+/);
    assert(ticket, 'handoff gives a ticket id');

    const admin = await page.context().newPage();
    await admin.goto(env.url + '/admin/inbox.html');
    await admin.waitForSelector('#admin-login:not([hidden])');
    await admin.fill('#admin-key', 'wrong-key-0000000000');
    await admin.press('#admin-key', 'Enter');
    await admin.waitForFunction(() => /no es válida/.test(document.getElementById('admin-login-note').textContent));
    await admin.fill('#admin-key', ADMIN_KEY);
    await admin.press('#admin-key', 'Enter');
    const row = await admin.waitForSelector(`tr[data-ticket="${ticket[0]}"]`);
    assert(/hablar con un agente/.test(await row.textContent()), 'the inbox row shows the summary');
    await (await row.$('a')).click();
    await admin.waitForSelector('#ticket:not([hidden]) #ticket-messages li.user');
    await admin.fill('#reply-text', 'Hola, te ayudo con tu caso.');
    await admin.click('#reply-send');
    await admin.waitForSelector('#ticket-messages li.agent');

    const reply = await page.waitForSelector('.msg.agent', { timeout: 15000 });
    assert(/te ayudo con tu caso/.test(await reply.textContent()), 'the reply reaches the customer');
    await admin.click('#close-ticket');
    await admin.waitForFunction(() => document.getElementById('reply-send').disabled);
  }],
];

runTests(tests, setup);
