// Saves a PNG of a page (a file path or a URL) in Debian's Chromium, e.g. the eval run report for
// the README: node tests/web/screenshot.js eval-out/report.html docs/img/eval-report.png [width] [height]
'use strict';
const path = require('path');
const { withBrowser } = require('./harness');

async function main() {
  const [target, out, width = '1100', height = '1400'] = process.argv.slice(2);
  if (!target || !out) {
    console.error('usage: node screenshot.js <file or URL> <out.png> [width] [height]');
    process.exit(2);
  }
  const url = /^https?:|^file:/.test(target) ? target : 'file://' + path.resolve(target);
  await withBrowser(async (context) => {
    const page = context.pages()[0] || await context.newPage();
    await page.setViewportSize({ width: Number(width), height: Number(height) });
    await page.goto(url);
    await page.screenshot({ path: out });
  });
  console.log('wrote ' + out);
}

main().catch((e) => { console.error(e.message); process.exit(1); });
