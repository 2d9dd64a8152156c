// Check 6: the book is one book. Chapters, notebooks, labs and source link each other, and every
// link lands somewhere real.
//
//  - Every relative link in a chapter or a notebook's markdown that names an anchor
//    (`04-step4-btree.md#the-design`, `#exercises`) must land on a heading of that file, with
//    the anchors GitHub and the site make (`slug` in build-site.mjs).
//  - Each step's chapter (01-05) carries a "companions" block, generated from the repository:
//    its notebook, its labs (from labs/labs.tsv, with the file each lab cuts out) and the source
//    files the chapter names. `--fix` writes the blocks; without it, a block that differs from
//    what it would be now fails, so a renamed file or a new lab cannot leave a chapter behind.
//  - Each step's notebook links back to its chapter, at a section (a link with an anchor).
//  - A chapter's core, everything outside its deep dives (`<!-- deep-dive-begin -->` ...
//    `<!-- deep-dive-end -->`), is at most CORE_WORDS words of prose (code blocks and comments
//    not counted): one sitting. `--words` prints each chapter's counts.
//  - Every exercise of chapters 1-7 (a numbered item under "## Exercises") has its answer in
//    appendix-b-answers.md: a heading "### <chapter>.<n> ..." followed by its difficulty and time
//    ("★★ · 45 minutes"); and the chapter's exercises link there.
// Prints each failure as file:line, then "links: N passed, N failed".
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { buildIndex } from './java-index.mjs';
import { BOOK_DIR, REPO_DIR, markdownFiles, read, slug } from './markdown-files.mjs';

const fix = process.argv.includes('--fix');
let passed = 0;
let failed = 0;
const fail = (where, message) => { failed++; console.log(`FAIL ${where}: ${message}`); };

/** The heading anchors of a Markdown text, duplicates numbered as GitHub does. */
function anchorsOf(text) {
  const anchors = new Set();
  const seen = new Map();
  let fence = null;
  for (const line of text.split('\n')) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) { fence = fence ? (f[1][0] === fence ? null : fence) : f[1][0]; continue; }
    if (fence) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

function markdownOfNotebook(path) {
  const notebook = JSON.parse(readFileSync(path, 'utf8'));
  return notebook.cells.filter((c) => c.cell_type === 'markdown')
    .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n\n');
}

/** Checks every anchored relative link of `text` (found in `file`); returns the links. */
function checkAnchors(text, file, name) {
  const links = [];
  text.split('\n').forEach((line, i) => {
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const m of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/.test(target)) continue;
      links.push(target);
      const [path, anchor] = target.split('#');
      if (anchor === undefined) continue;
      const targetFile = path ? resolve(dirname(file), path) : file;
      if (!targetFile.endsWith('.md')) continue;
      let anchors;
      try { anchors = anchorsOf(readFileSync(targetFile, 'utf8')); } catch { continue; } // check-names reports it
      if (anchors.has(anchor)) passed++;
      else fail(`${name}:${i + 1}`, `${target}: no heading in ${relative(REPO_DIR, targetFile)} makes the anchor #${anchor}`);
    }
  });
  return links;
}

// ---- the step chapters and their companions --------------------------------------------------

const STEPS = { 1: 'step1-pickled-map', 2: 'step2-append-log', 3: 'step3-hash-index', 4: 'step4-btree', 5: 'step5-wal', 6: 'step6-lsm' };
const notebooks = readdirSync(join(REPO_DIR, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
const labs = readFileSync(join(REPO_DIR, 'labs/labs.tsv'), 'utf8').split('\n')
  .filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split('\t'))
  .filter((cells) => /^step\d\./.test(cells[0])).map(([id, book, tests]) => ({ id, book, tests }));
const { types } = buildIndex();

/** Where each lab's code is: the source file holding its LAB:BEGIN marker. */
function labFiles(module) {
  const files = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.java')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/LAB:BEGIN (\S+)/g)) files.set(m[1], path);
      }
    }
  };
  walk(join(REPO_DIR, module, 'src/main/java'));
  return files;
}

/** The main source files of `module` whose types the chapter names in backticks, in order of first mention. */
function namedSources(text, module) {
  const files = [];
  for (const m of text.matchAll(/`([A-Z]\w*)(?:[.#(][^`]*)?`/g)) {
    const entry = types.get(m[1]);
    if (!entry) continue;
    for (const rel of entry.files) {
      if (rel.startsWith(`${module}/src/main/`) && !files.includes(rel)) files.push(rel);
    }
  }
  return files;
}

/** The companions block of step n's chapter, as it should be now. */
function companions(n, chapterText) {
  const module = STEPS[n];
  // A step's notebook is named after its module without the step prefix: 03-hash-index.ipynb, 08-lsm.ipynb.
  const notebook = notebooks.find((f) => f.replace(/^\d\d-/, '').replace(/\.ipynb$/, '') === module.replace(/^step\d-/, ''))
    ?? '(not written yet)';
  const where = labFiles(module);
  const stepLabs = labs.filter((l) => l.id.startsWith(`step${n}.`));
  const link = (rel) => `[${basename(rel)}](../${rel})`;
  const lines = [
    `<!-- companions: step${n} (generated by book/tools/check-links.mjs --fix; edit the tool, not this block) -->`,
    '> **Alongside this chapter**',
    `> - Notebook: [${notebook}](../notebooks/${notebook}): run this store and watch its files change.`,
    `> - Labs (\`kv lab start step${n}\`, see [chapter 8](08-labs-guide.md)): `
      + stepLabs.map((l) => `\`${l.id}\` in ${where.has(l.id) ? link(relative(REPO_DIR, where.get(l.id))) : '(no marker)'}`).join(', ') + '.',
    '> - Source named in this chapter: ' + namedSources(chapterText, module).map(link).join(', ') + '.',
    '<!-- /companions -->',
  ];
  return lines.join('\n');
}

/** The most words of prose a chapter's core may have: what a reader finishes in one sitting. */
const CORE_WORDS = 4000;

/** Words of prose in `text`: fenced code and HTML comments left out. */
function words(text) {
  const prose = text.replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2\s*$/gm, '').replace(/<!--[\s\S]*?-->/g, '');
  return (prose.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;
}

/** The chapter's words in its core and in its deep dives. */
function wordCounts(text) {
  const deep = [...text.matchAll(/<!-- deep-dive-begin -->([\s\S]*?)<!-- deep-dive-end -->/g)].map((m) => m[1]).join('\n');
  const all = words(text);
  const deepWords = words(deep);
  return { core: all - deepWords, deep: deepWords };
}

const BLOCK = /<!-- companions: step(\d)[^>]*-->[\s\S]*?<!-- \/companions -->/;

for (const file of markdownFiles()) {
  const name = relative(BOOK_DIR, file);
  let text = read(file);
  const step = /^\d\d-step(\d)-/.exec(basename(file));
  if (step) {
    const n = Number(step[1]);
    // The sources are derived from the chapter without its block, so the block never feeds itself.
    const want = companions(n, text.replace(BLOCK, ''));
    const have = BLOCK.exec(text);
    if (have?.[0] === want) passed++;
    else if (fix) {
      text = have ? text.replace(BLOCK, want) : insertAfterIntroduction(text, want);
      writeFileSync(file, text);
      console.log(`fixed ${name}: companions block written`);
      passed++;
    } else {
      fail(name, have ? 'the companions block is out of date: run node tools/check-links.mjs --fix'
        : 'no companions block (its notebook, labs and source): run node tools/check-links.mjs --fix');
    }
  }
  checkAnchors(text, file, name);
  if (/^\d\d-/.test(basename(file))) {
    const { core, deep } = wordCounts(text);
    if (process.argv.includes('--words')) console.log(`${name}: core ${core} words, deep dives ${deep}`);
    if (core <= CORE_WORDS) passed++;
    else fail(name, `its core is ${core} words, more than ${CORE_WORDS}: move detail into a marked deep dive`);
  }
}

/** Places a new block before the chapter's first second-level heading. */
function insertAfterIntroduction(text, block) {
  const at = text.search(/^## /m);
  return at < 0 ? `${text}\n${block}\n` : `${text.slice(0, at)}${block}\n\n${text.slice(at)}`;
}

// ---- every exercise answered ------------------------------------------------------------------

const ANSWERS = 'appendix-b-answers.md';
const answers = read(join(BOOK_DIR, ANSWERS));
for (const file of markdownFiles().filter((f) => /^(0[1-79]|11)-/.test(basename(f)))) {
  const name = relative(BOOK_DIR, file);
  const chapter = Number(basename(file).slice(0, 2));
  const section = /^## Exercises\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(read(file));
  if (!section) { fail(name, 'has no "## Exercises" section'); continue; }
  const count = (section[1].match(/^\d+\. /gm) ?? []).length;
  for (let n = 1; n <= count; n++) {
    const answer = new RegExp(`^### ${chapter}\\.${n} .*\\n+(★{1,3}) · (.+)$`, 'm').exec(answers);
    if (answer) passed++;
    else fail(name, `exercise ${n} has no answer in ${ANSWERS} ("### ${chapter}.${n} ..." then "★ · time")`);
  }
  if (section[1].includes(`](${ANSWERS}#`)) passed++;
  else fail(name, `its exercises do not link their answers in ${ANSWERS}`);
}

// ---- the notebooks link back --------------------------------------------------------------------

for (const notebook of notebooks) {
  const path = join(REPO_DIR, 'notebooks', notebook);
  const name = relative(REPO_DIR, path);
  const links = checkAnchors(markdownOfNotebook(path), path, name);
  const n = Object.keys(STEPS).find((k) => notebook.replace(/^\d\d-/, '') === `${STEPS[k].replace(/^step\d-/, '')}.ipynb`);
  if (!n) continue;
  const chapter = readdirSync(BOOK_DIR).find((f) => new RegExp(`^\\d\\d-step${n}-`).test(f));
  if (links.some((l) => l.includes(`${chapter}#`))) passed++;
  else fail(name, `links no section of its chapter (../book/${chapter}#...)`);
}

console.log(`links: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
