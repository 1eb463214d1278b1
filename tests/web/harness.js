// Test harness for the web UI: starts the real atiende binary on a free port with a fresh data dir,
// loads the demo knowledge base, and drives Debian's Chromium through playwright-core.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.ATIENDE_CHROMIUM || '/usr/bin/chromium';

function run(binary, args, env) {
  const result = spawnSync(binary, args, { env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(binary)} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  return result.stdout;
}

// Starts `atiende serve --port 0` and resolves with { url, stop } once it prints its address.
function startServer(binary, dataDir, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--data', dataDir, 'serve', '--port', '0'], { env });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error('server did not start in 30 s:\n' + err)), 30000);
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }),
          stderr: () => err,
        });
      }
    });
    child.stderr.on('data', (chunk) => { err += chunk.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${err}`)); });
  });
}

async function withBrowser(fn) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 900, height: 800 },
  });
  try {
    return await fn(context);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// Runs named async tests sequentially; prints a summary and exits non-zero on any failure.
async function runTests(tests, setup) {
  let passed = 0;
  const failures = [];
  let env;
  try {
    env = await setup();
  } catch (e) {
    console.error('setup failed:', e.message);
    process.exit(1);
  }
  for (const [name, fn] of tests) {
    const started = Date.now();
    try {
      await withBrowser(async (context) => {
        const page = context.pages()[0] || await context.newPage();
        page.setDefaultTimeout(15000);
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await fn(page, env);
        if (errors.length) throw new Error('page errors: ' + errors.join('; '));
      });
      passed += 1;
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      failures.push(name);
      console.log(`FAIL ${name}: ${e.message}`);
    }
  }
  await env.teardown();
  console.log(`\n${passed} tests passed, ${failures.length} tests failed out of ${tests.length}`);
  process.exit(failures.length ? 1 : 0);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

module.exports = { run, startServer, withBrowser, runTests, assert };
