// Check 4: opens the built site in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM)
// over a local HTTP server on 127.0.0.1, and checks that every page the build wrote renders: every
// Mermaid block became an SVG, no Mermaid error box, every image loaded, and no console error or
// page error. The pages are the .html files in book/target/site/ (index.html, about.html and one
// per chapter); a Markdown file of the book with no page there is a failure too, so a new chapter
// cannot go untested. Keeps a full-page screenshot of each in book/target/screenshots/.
// Prints "site: N passed, N failed".
import { launchChromium } from './chromium.mjs';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { BOOK_DIR, markdownFiles, pageName } from './markdown-files.mjs';

const SITE = join(BOOK_DIR, 'target', 'site');
const SHOTS = join(BOOK_DIR, 'target', 'screenshots');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };

if (!existsSync(join(SITE, 'index.html'))) {
  console.log('site: not built; run npm run build first');
  process.exit(1);
}
mkdirSync(SHOTS, { recursive: true });
const PAGES = readdirSync(SITE).filter((f) => f.endsWith('.html')).sort();
const unbuilt = markdownFiles().map(pageName).filter((name) => !PAGES.includes(name));

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(SITE, path === '/' ? 'index.html' : path);
  if (!file.startsWith(SITE) || !existsSync(file)) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await launchChromium();
let passed = 0;
let failed = 0;
for (const name of unbuilt) {
  failed++;
  console.log(`FAIL ${name}: the book has its Markdown file but the site has no such page (rebuild the site)`);
}
try {
  for (const name of PAGES) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(`${base}/${name}`, { waitUntil: 'load' });
    const blocks = await page.locator('pre.mermaid').count();
    try {
      await page.waitForFunction(
        (n) => document.querySelectorAll('pre.mermaid svg').length === n, blocks, { timeout: 30000 });
    } catch {
      errors.push(`only ${await page.locator('pre.mermaid svg').count()} of ${blocks} diagrams rendered`);
    }
    const errorBoxes = await page.locator('pre.mermaid:has-text("Syntax error")').count();
    if (errorBoxes > 0) errors.push(`${errorBoxes} diagrams show a Mermaid syntax error`);
    const images = await page.locator('main img').count();
    const broken = await page.evaluate(
      () => [...document.querySelectorAll('main img')].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
    if (broken.length > 0) errors.push(`images not loaded: ${broken.join(', ')}`);
    const title = await page.locator('main h1').first().textContent();
    if (!title) errors.push('no h1 in the page');
    await page.screenshot({ path: join(SHOTS, name.replace('.html', '.png')), fullPage: true });
    if (errors.length === 0) {
      passed++;
      console.log(`ok   ${name}: "${title}", ${blocks} diagrams rendered${images ? `, ${images} images loaded` : ''}, no console errors`);
    } else {
      failed++;
      console.log(`FAIL ${name}: ${errors.join('; ')}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`screenshots in ${SHOTS}`);
console.log(`site: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
