// kv web in a real browser: for every step, starts `./kv web --store stepN --port 0` (the checkout's
// kv, which builds the CLI if it is missing or stale), opens the URL it prints in headless Chromium
// (Debian's /usr/bin/chromium, or $CHROMIUM, launched by chromium.mjs, as test-site.mjs is), and drives a
// learner's session through the page itself: 200 puts (load 200 typed on the command line), deletes,
// every maintenance button the store offers, a transaction on a store that has them, a get, and a
// crash playback. After each step it checks that the drawing matches the store: per item kind, the
// boxes drawn (g.item.kind-K) equal the items of the model the server answered with; the leaf pages
// drawn equal the model's leaves; the boxes outlined as the get's path are the lookup's items and
// end at the item that holds the key; no console error, page error or failed request. Screenshots
// go to target/web-screenshots/ (at the repository root); with --figure, the step-4 screenshot is
// also written to book/figures/kv-web.png, the picture the README and the introduction show.
// Prints "web: N passed, N failed" and the time it took.
import { launchChromium } from './chromium.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(ROOT, 'target', 'web-screenshots');
const FIGURE = join(ROOT, 'book', 'figures', 'kv-web.png');
const STEPS = process.argv.slice(2).filter((a) => /^step\d$/.test(a));
const WRITE_FIGURE = process.argv.includes('--figure');
const KEY = 'key00042';
const started = Date.now();

mkdirSync(SHOTS, { recursive: true });

/** Starts kv web for `step`; resolves to { url, child } once it has printed its URL. */
function startServer(step) {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'kv'), ['web', '--store', step, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`kv web printed no URL in 300 s:\n${out}${err}`)), 300_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}/);
      if (url) {
        clearTimeout(timer);
        resolve({ url: url[0], child });
      }
    });
    child.stderr.on('data', (chunk) => { err += chunk; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kv web exited with ${code} before printing a URL:\n${out}${err}`));
    });
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM'); // kv web's shutdown hook closes the store and deletes its fresh directory
  });
}

/** Types `command` on the page's command line, presses Enter, and waits for the answer. */
async function type(page, command, problems) {
  const runs = await page.evaluate(() => window.kvweb.runs);
  await page.fill('#command', command);
  await page.press('#command', 'Enter');
  await page.waitForFunction((n) => window.kvweb.runs > n, runs, { timeout: 120_000 });
  const error = await page.evaluate(() => window.kvweb.lastError);
  if (error) problems.push(`"${command}" failed: ${error}`);
}

/** Clicks a button that runs a command, and waits for the answer. */
async function click(page, selector, problems) {
  const runs = await page.evaluate(() => window.kvweb.runs);
  await page.click(selector);
  await page.waitForFunction((n) => window.kvweb.runs > n, runs, { timeout: 120_000 });
  const error = await page.evaluate(() => window.kvweb.lastError);
  if (error) problems.push(`${selector} failed: ${error}`);
}

/** The drawing against the model of the last answer: per kind, as many boxes as items; the get's path. */
async function checkDrawing(page, problems, expectPath) {
  return page.evaluate(([key, expectPath]) => {
    const found = [];
    const { model } = window.kvweb.last;
    if (!model) return { notes: ['no structured model yet: nothing to compare'], found };
    const kinds = {};
    for (const region of model.regions) for (const item of region.items) kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
    for (const [kind, count] of Object.entries(kinds)) {
      const drawn = document.querySelectorAll(`#picture g.item.kind-${CSS.escape(kind)}`).length;
      if (drawn !== count) found.push(`${drawn} boxes of kind ${kind} drawn, the model has ${count}`);
    }
    const drawnTotal = document.querySelectorAll('#picture g.item').length;
    const modelTotal = Object.values(kinds).reduce((a, b) => a + b, 0);
    if (drawnTotal !== modelTotal) found.push(`${drawnTotal} boxes drawn, the model has ${modelTotal} items`);
    const notes = [`${modelTotal} items (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`];
    if (expectPath) {
      const lookup = model.lookup;
      if (!lookup) {
        found.push(`the model has no lookup for get ${key}`);
      } else {
        const onPath = [...document.querySelectorAll('#picture g.item.on-path')].map((g) => g.dataset.id);
        const last = lookup.touched[lookup.touched.length - 1];
        if (onPath.length === 0) found.push('no box is outlined as the get\'s path');
        for (const id of onPath) if (!lookup.touched.includes(id)) found.push(`${id} is outlined but the get did not read it`);
        if (!onPath.includes(last)) found.push(`the path's last item ${last} is not outlined`);
        // Item keys are printable forms (Keys.toDisplay: text in double quotes); a page lists its keys
        // or some of them, so "holds the key" is "lists it, or its keys span it".
        const shown = `"${key}"`;
        const items = model.regions.flatMap((r) => r.items);
        const holds = (id) => {
          const item = items.find((i) => i.id === id);
          if (!item || item.keys.length === 0) return false;
          const sorted = [...item.keys].sort();
          return item.keys.includes(shown) || (sorted[0] <= shown && shown <= sorted[sorted.length - 1]);
        };
        if (!onPath.some(holds)) found.push(`no outlined item holds ${key}`);
        // Step 2 has no index: its get reads the whole log, so its path ends at the last record, not the key's.
        if (model.store !== 'step2' && !holds(last)) found.push(`the path ends at ${last}, which does not hold ${key}`);
        const leaves = kinds.leaf ?? 0;
        const t = lookup.touched;
        notes.push(`get ${key}: path ${t.length > 4 ? `${t.slice(0, 2).join(' → ')} → … (${t.length} items) → ${t[t.length - 1]}` : t.join(' → ')}${leaves ? `; ${leaves} leaf pages drawn = the model's` : ''}`);
      }
    }
    return { notes, found };
  }, [KEY, expectPath]).then(({ notes, found }) => {
    problems.push(...found);
    return notes;
  });
}

async function session(browser, step) {
  const problems = [];
  const notes = [];
  const stepStarted = Date.now();
  const { url, child } = await startServer(step);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.kvweb?.last !== null && window.kvweb?.info !== null, null, { timeout: 60_000 });
    const info = await page.evaluate(() => window.kvweb.info);
    if (info.store !== step) problems.push(`the page shows ${info.store}, not ${step}`);

    await type(page, 'load 200', problems);
    for (const i of [10, 20, 30, 40, 50]) await type(page, `del key000${i}`, problems);
    await checkDrawing(page, problems, false);
    for (const operation of info.maintenance) {
      await click(page, `#buttons button[data-verb="${operation}"]`, problems);
      notes.push(`${operation} done`);
      await checkDrawing(page, problems, false);
    }
    if (info.transactional) {
      await type(page, 'begin', problems);
      await type(page, 'put fresh "in a transaction"', problems);
      await type(page, 'commit', problems);
    }
    const live = await page.evaluate(() => window.kvweb.last.stats.liveKeys);
    const expected = 195 + (info.transactional ? 1 : 0);
    if (live !== expected) problems.push(`the store holds ${live} keys, expected ${expected}`);
    await type(page, `get ${KEY}`, problems);
    const output = await page.locator('#output').textContent();
    if (!output.includes('value42')) problems.push(`get ${KEY} printed ${JSON.stringify(output)}`);
    notes.push(...await checkDrawing(page, problems, true));
    await page.screenshot({ path: join(SHOTS, `${step}.png`), fullPage: true });
    if (WRITE_FIGURE && step === 'step4') {
      // The README's picture: a root and a few leaves, the get's path from the root to its leaf.
      await type(page, 'load 400', problems);
      await type(page, `get ${KEY}`, problems);
      await checkDrawing(page, problems, true);
      await page.screenshot({ path: FIGURE });
      notes.push(`wrote ${FIGURE}`);
    }

    await page.click('#crash-list');
    await page.waitForFunction(() => window.kvweb.crash !== null, null, { timeout: 120_000 });
    const points = await page.evaluate(() => window.kvweb.crash.points);
    const refused = points.find((p) => p.outcome === 'refused to open unclean');
    const chosen = refused ?? points[Math.floor(points.length / 2)];
    await page.selectOption('#crash-point', String(chosen.point));
    await page.click('#crash-play');
    await page.waitForFunction((p) => window.kvweb.recovered?.point === p, chosen.point, { timeout: 60_000 });
    const recovered = await page.evaluate(() => window.kvweb.recovered);
    const shown = await page.locator('#crash-result').textContent();
    if (!shown.includes(`Verdict: ${chosen.outcome}`)) problems.push(`the crash panel says ${JSON.stringify(shown)}`);
    if (step === 'step4' && !recovered.refused) problems.push('step 4 showed no refusal to open after a crash mid-write');
    if (recovered.refused && (await page.locator('#crash-result .refused').count()) !== 1) problems.push('the refusal is not shown');
    if (!(await page.locator('#crash-picture svg').count())) problems.push('the crash panel drew no picture');
    notes.push(`crash at point ${chosen.point} of ${points.length} (${chosen.call}): ${recovered.refused ? 'refused to open' : `${recovered.entries.length} entries recovered`}`);
    await page.screenshot({ path: join(SHOTS, `${step}-crash.png`), fullPage: true });
  } catch (e) {
    problems.push(`${e.message.split('\n')[0]}`);
  } finally {
    await page.close();
    await stopServer(child);
  }
  return { problems, notes, seconds: ((Date.now() - stepStarted) / 1000).toFixed(1) };
}

// ./kv builds the CLI when it is missing or stale: do that once, before two servers start at once.
const build = spawnSync(join(ROOT, 'kv'), ['--version'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.log('web: ./kv --version failed: the CLI does not build');
  process.exit(1);
}
const browser = await launchChromium();
let passed = 0;
let failed = 0;
// Two sessions at a time: while one waits for its server's JVM to start or its fsyncs, the other runs.
const steps = STEPS.length ? STEPS : ['step1', 'step2', 'step3', 'step4', 'step5', 'step6'];
const results = new Array(steps.length);
let next = 0;
async function worker() {
  while (next < steps.length) {
    const index = next++;
    results[index] = await session(browser, steps[index]);
  }
}
try {
  await Promise.all([worker(), worker()]);
} finally {
  await browser.close();
}
steps.forEach((step, index) => {
  const { problems, notes, seconds } = results[index];
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${step} (${seconds} s): ${notes.join('; ')}`);
  } else {
    failed++;
    console.log(`FAIL ${step} (${seconds} s): ${problems.join('; ')}`);
  }
});
console.log(`web: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s (screenshots in ${SHOTS})`);
process.exit(failed === 0 ? 0 : 1);
