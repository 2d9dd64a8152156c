// Every figure the book, the notebooks' prose, bench/RUN-NOTES.md and the step READMEs quote is
// tied to a machine-readable output of the project, and checked against it.
//
// A figure is a result of running the project: a count (crash points, bytes, fsyncs), a
// measurement (ops/s, ms, bytes per key) or a ratio of these. This check finds figures in prose
// by their units and words (FIGURE below) and requires each to carry, right before it, a marker
// naming its source:
//
//   every one of its <!-- fig: crash:stores[store=step5].crashPoints -->57 crash points
//   a get read <!-- fig: tour:stores[store=step3].perOp.readPerGet -->127 B
//   <!-- fig: bench/results.csv[workload=counter,variant=durable,store=step3].ops_per_s / bench/results.csv[workload=counter,variant=durable,store=sqlite-wal-full].ops_per_s -->1.2×
//   reopening took <!-- fig: tour:stores[store=step1].reopen.reopenNanos as ns -->52 ms
//
// or an exception marker with its reason, for the rare figure that is not the project's result:
//
//   <!-- fig-exempt: LMDB's paper, table 3 -->4 KB
//   <!-- fig-exempt-begin: a worked example, not a measurement --> ... <!-- fig-exempt-end -->
//
// Sources (SOURCES below) are files: the committed `kv tour --json` and `kv crash-lab --json`
// outputs in book/figures/ and the benchmark results in bench/results/ (`bench/<file>`); an
// earlier run is read from the commit that recorded it (`bench@<commit>/<file>`, through git).
// A selector walks a JSON document, a CSV file (an array of rows) or a .properties file (an
// object): `name` takes a field, `[k=v,...]` the one element whose fields match (a key may be a
// dotted path, a value may hold spaces), `[3]` the element at an index, and a trailing `#`
// counts the matches instead. A marker may combine selectors and numbers with * / + -, left to
// right, no precedence. `as ns|us|ms|s` says the unit of a time the source holds; bytes are
// assumed for KB/MB.
//
// The quoted figure must equal the source's value rounded as printed: to its decimals
// (1.52 KB, 1.1×), or to its significant digits when it ends in zeros (4,800 puts/s). A sign
// before it is its own (−12%, with U+2212; +8%). A marker before a number that no unit makes a
// figure (a table cell of plain counts, 4.42M) is checked the same way, and a marker must not
// begin a line: Markdown would take the line for raw HTML.
//
// With --recompute, the deterministic sources are produced again (`kv crash-lab --json`, gentle
// and harsh; the counts of `kv tour --json`) and must equal the committed ones: a code change
// that moves a count fails here until book/figures is refreshed (tools/update-figures.sh) and
// every quote follows. With --suggest, an unmarked figure gets candidate selectors.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { basename, join, relative } from 'node:path';
import { BOOK_DIR, REPO_DIR, markdownFiles } from './markdown-files.mjs';

const args = new Set(process.argv.slice(2));

/** Where each source name's data lives; `bench/<file>` names a file in bench/results. */
const SOURCES = {
  tour: 'book/figures/tour.json',
  crash: 'book/figures/crash-lab.json',
  'crash-harsh': 'book/figures/crash-lab-harsh.json',
  // One `kv envelope --json` run: the example figures of design-a-key-value-store.md (measured, never recomputed).
  envelope: 'book/figures/envelope.json',
};

/** The tour's measured fields: they vary between runs; every other field is a count. */
const TOUR_TIMINGS = new Set(['nanos', 'closeNanos', 'reopenNanos', 'heapHeld']);

const UNIT = String.raw`(?:×|x(?![\w-])|%|KB|MB|GB|TB|B(?![\w+])|bytes\b|ns\b|µs|us\b|ms\b|s\b|seconds?\b|min\b|k\b|M\b|` +
  String.raw`(?:k\s?)?(?:ops|puts|gets|reads|writes|increments|commits|scans|deletes|syncs|fsyncs|transactions)/s|` +
  String.raw`/s\b|crash points?|fsyncs?\b|syncs?\b|keys loaded)`;
/** A number with a unit or word that makes it a figure. Hyphenated ("16-byte") are design constants, and
 * an exponent (the 5 of "10^5 × 116") is not a number on its own. */
const FIGURE = new RegExp(String.raw`(?<![\w.,/^-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s?)(${UNIT})`, 'g');

// ---- sources ---------------------------------------------------------------------------------

const cache = new Map();

function load(name) {
  if (cache.has(name)) return cache.get(name);
  const earlier = /^bench@([0-9a-f]{7,40})\/(.+)$/.exec(name);
  const file = SOURCES[name] ?? (name.startsWith('bench/') ? `bench/results/${name.slice('bench/'.length)}`
    : earlier ? `bench/results/${earlier[2]}` : null);
  if (!file) throw new Error(`unknown source '${name}' (known: ${Object.keys(SOURCES).join(', ')}, bench/<file>, bench@<commit>/<file>)`);
  let text;
  if (earlier) {
    // An earlier run, as the commit that recorded it holds it: history does not drift.
    try {
      text = execFileSync('git', ['show', `${earlier[1]}:${file}`], { cwd: REPO_DIR, maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    } catch {
      throw new Error(`source ${name}: no ${file} at commit ${earlier[1]} (a shallow clone? git fetch --unshallow)`);
    }
  } else {
    const path = join(REPO_DIR, file);
    if (!existsSync(path)) throw new Error(`source ${file} does not exist`);
    text = readFileSync(path, 'utf8');
  }
  const data = file.endsWith('.csv') ? parseCsv(text) : file.endsWith('.properties') ? parseProperties(text) : JSON.parse(text);
  cache.set(name, data);
  return data;
}

/** A Java properties file (key=value lines, # comments) as an object. */
function parseProperties(text) {
  return Object.fromEntries(text.split('\n').filter((l) => /^[^#!]\S*\s*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]));
}

/** A CSV file as an array of objects keyed by the header row; quoted fields may hold commas. */
function parseCsv(text) {
  const rows = [];
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
    }
    cells.push(cell);
    rows.push(cells);
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}

function field(value, dotted) {
  return dotted.split('.').reduce((v, k) => (v == null ? undefined : v[k]), value);
}

/** Walks `path` (after the source name) through `data`; returns a number or a count. */
function select(data, path, where) {
  const steps = path.match(/[^.[\]#]+|\[[^\]]*\]|#/g) ?? [];
  let value = data;
  let many = null;
  for (const step of steps) {
    if (step === '#') {
      if (!many) throw new Error(`${where}: # counts the matches of a [filter]`);
      return many.length;
    }
    if (step.startsWith('[')) {
      const inner = step.slice(1, -1);
      if (!Array.isArray(value)) throw new Error(`${where}: ${step} needs an array`);
      if (/^\d+$/.test(inner)) {
        value = value[Number(inner)];
        many = null;
        continue;
      }
      const conditions = inner.split(',').map((c) => c.split('=').map((s) => s.trim()));
      many = value.filter((e) => conditions.every(([k, v]) => String(field(e, k)) === v));
      if (many.length !== 1 && !steps.slice(steps.indexOf(step) + 1).includes('#')) {
        throw new Error(`${where}: ${step} matches ${many.length} elements, not one`);
      }
      value = many[0];
    } else {
      many = null;
      value = value == null ? undefined : value[step];
    }
  }
  if (value === undefined || value === null || value === '') throw new Error(`${where}: nothing at ${path}`);
  const number = Number(value);
  if (Number.isNaN(number)) throw new Error(`${where}: ${path} is '${value}', not a number`);
  return number;
}

/** Evaluates a marker's expression: selectors and numbers joined by * / + -, left to right. */
function evaluate(expression, where) {
  // Split at spaces, but not inside [...]: a filter value may hold one (`variant=8 threads`).
  const tokens = expression.trim().match(/(?:\[[^\]]*\]|[^\s[])+/g) ?? [];
  const apply = { '*': (a, b) => a * b, '/': (a, b) => a / b, '+': (a, b) => a + b, '-': (a, b) => a - b };
  let result = null;
  let op = null;
  for (const token of tokens) {
    if (token in apply) { op = token; continue; }
    let value;
    if (/^-?\d+(\.\d+)?$/.test(token)) value = Number(token);
    else {
      const colon = token.indexOf(':');
      const bracket = token.indexOf('[');
      // `bench/results.csv[...]` has no colon: the source name ends where the path begins.
      const cut = colon >= 0 && (bracket < 0 || colon < bracket) ? colon : bracket;
      if (cut < 0) throw new Error(`${where}: '${token}' names no source`);
      const name = token.slice(0, cut);
      const path = token.slice(cut + (token[cut] === ':' ? 1 : 0));
      value = select(load(name), path, where);
    }
    result = result === null ? value : apply[op ?? '*'](result, value);
    op = null;
  }
  return result;
}

// ---- figures ---------------------------------------------------------------------------------

const BYTE_SCALE = { B: 1, bytes: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
const TIME_SCALE = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, second: 1e9, seconds: 1e9, min: 60e9 };

/** The source value in the printed figure's unit. */
function inPrintedUnit(value, unit, sourceUnit, where) {
  const word = unit.trim();
  if (word in BYTE_SCALE) return value / BYTE_SCALE[word];
  if (word in TIME_SCALE) {
    if (!sourceUnit) throw new Error(`${where}: a time needs 'as ns|us|ms|s' in its marker`);
    return (value * TIME_SCALE[sourceUnit]) / TIME_SCALE[word];
  }
  if (/^k\b/.test(word)) return value / 1e3;
  if (word === 'M') return value / 1e6;
  return value;
}

/** Whether `value` prints as `printed` (its digits as written) at the printed precision. */
function matches(value, printed) {
  const plain = printed.replace(/,/g, '');
  const shown = Number(plain);
  const decimals = plain.includes('.') ? plain.split('.')[1].length : 0;
  if (decimals > 0) return Math.abs(Number(value.toFixed(decimals)) - shown) < 1e-9;
  if (Math.round(value) === shown) return true;
  const significant = Math.max(1, plain.replace(/^-/, '').replace(/0+$/, '').length);
  return Number(value.toPrecision(significant)) === shown;
}

// ---- documents ---------------------------------------------------------------------------------

/** The prose of a Markdown text as lines, code blocks and inline code blanked (keeping positions). */
function proseLines(text) {
  const lines = text.split('\n');
  let fence = null;
  return lines.map((line) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = null;
      return '';
    }
    if (open) { fence = open[1]; return ''; }
    return line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
  });
}

/**
 * Hand-written narratives outside book/ that quote the project's figures (RESULTS.md is generated).
 * The step READMEs are here so that a measured figure cannot creep back in unmarked: they link to
 * the chapter section that carries the checked figure instead of copying it.
 */
const NARRATIVES = [
  'README.md',
  'bench/RUN-NOTES.md',
  'step1-pickled-map/README.md',
  'bench/README.md',
  'notebooks/README.md',
  'labs/README.md',
  'step2-append-log/README.md',
  'step3-hash-index/README.md',
  'step4-btree/README.md',
  'step5-wal/README.md',
  'step6-lsm/README.md',
];

/** The documents to check: the book's Markdown files, the narratives and the notebooks' markdown cells. */
function documents() {
  const docs = markdownFiles().map((file) => ({ name: relative(REPO_DIR, file), text: readFileSync(file, 'utf8') }));
  for (const file of NARRATIVES) docs.push({ name: file, text: readFileSync(join(REPO_DIR, file), 'utf8') });
  const notebooks = join(REPO_DIR, 'notebooks');
  for (const file of execFileSync('ls', [notebooks]).toString().split('\n').filter((f) => f.endsWith('.ipynb'))) {
    const notebook = JSON.parse(readFileSync(join(notebooks, file), 'utf8'));
    notebook.cells.forEach((cell, i) => {
      if (cell.cell_type !== 'markdown') return;
      const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      docs.push({ name: `notebooks/${file} cell ${i}`, text: source });
    });
  }
  return docs;
}

const problems = [];
let checked = 0;
let exempt = 0;
const suggestions = [];

for (const doc of documents()) {
  let exemptRegion = false;
  proseLines(doc.text).forEach((line, index) => {
    const where = `${doc.name}:${index + 1}`;
    if (/<!--\s*fig-exempt-begin:\s*\S/.test(line)) exemptRegion = true;
    // A figure's marker is the HTML comment right before it; the rest of the line is searched
    // with every comment blanked, so the marker's own text is never taken for a figure.
    const comments = [];
    const prose = line.replace(/<!--[\s\S]*?-->/g, (comment, at) => {
      comments.push({ comment, end: at + comment.length });
      return ' '.repeat(comment.length);
    });
    if (/^\s*(?:[-*+]\s+|\d+\.\s+)?<!--\s*fig(?:-exempt)?:/.test(line)) {
      problems.push(`${where}: a figure's marker begins the line, so Markdown reads the line as raw HTML:`
        + ' move the line break so that a word comes first');
    }
    const used = new Set();
    for (const match of prose.matchAll(FIGURE)) {
      const before = comments.filter((c) => c.end <= match.index && /^\s*[−+]?$/.test(prose.slice(c.end, match.index))).pop();
      const printed = match[1] + (match[2] ?? '');
      const figure = match[0];
      if (exemptRegion && !before) { exempt++; continue; }
      if (!before) {
        problems.push(`${where}: '${figure}' is a figure without a source: add <!-- fig: SOURCE --> before it`
          + ` (or <!-- fig-exempt: why -->)`);
        if (args.has('--suggest')) suggestions.push({ where, figure, printed, unit: match[4] });
        continue;
      }
      used.add(before);
      const exemption = /^<!--\s*fig-exempt:\s*(.*?)\s*-->$/.exec(before.comment);
      if (exemption) {
        if (exemption[1] === '') problems.push(`${where}: the exemption of '${figure}' gives no reason`);
        exempt++;
        continue;
      }
      // A sign right before the number belongs to it: "−12%" (U+2212), "+8%".
      checkMarked(where, before.comment, figure, (prose[match.index - 1] === '−' ? '-' : '') + printed, match[4]);
    }
    // A marker before a number the units above do not catch (a table cell of plain counts, 4.42M)
    // is checked all the same; a marker before no number has lost its figure.
    for (const c of comments.filter((c) => !used.has(c) && /^<!--\s*fig:/.test(c.comment))) {
      const plain = /^\+?(−?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(M\b)?/.exec(prose.slice(c.end));
      if (!plain) {
        problems.push(`${where}: ${c.comment} is not right before a number`);
        continue;
      }
      checkMarked(where, c.comment, plain[0], (plain[1] ? '-' : '') + plain[2] + (plain[3] ?? ''), plain[4] ?? '');
    }
    if (/<!--\s*fig-exempt-end\s*-->/.test(line)) exemptRegion = false;
  });
}

/** Checks one figure against the source its marker names. */
function checkMarked(where, comment, figure, printed, unit) {
  const marker = /^<!--\s*fig:\s*(.*?)(?:\s+as\s+(ns|us|µs|ms|s))?\s*-->$/.exec(comment);
  if (!marker) {
    problems.push(`${where}: the comment before '${figure}' is not a figure marker: ${comment}`);
    return;
  }
  if (marker[2] && unit.trim() === '') {
    problems.push(`${where}: '${figure}' has no unit for 'as ${marker[2]}' to convert to: scale it in the expression`);
    return;
  }
  try {
    const value = inPrintedUnit(evaluate(marker[1], where), unit, marker[2], where);
    if (!matches(value, printed)) {
      problems.push(`${where}: '${figure}' but its source gives ${+value.toPrecision(6)} (${marker[1]})`);
    }
    checked++;
  } catch (e) {
    problems.push(e.message);
  }
}

// ---- the deterministic sources, produced again ---------------------------------------------------

function withoutTimings(value) {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !TOUR_TIMINGS.has(k)).map(([k, v]) => [k, withoutTimings(v)]));
  }
  return value;
}

if (args.has('--recompute')) {
  const kv = (...a) => execFileSync(join(REPO_DIR, 'kv'), a, { cwd: REPO_DIR, maxBuffer: 1 << 28 }).toString();
  const compare = (name, fresh, transform = (x) => x) => {
    const committed = transform(load(name));
    if (JSON.stringify(transform(JSON.parse(fresh))) !== JSON.stringify(committed)) {
      problems.push(`${SOURCES[name]} differs from what the code produces now: run book/tools/update-figures.sh,`
        + ' then fix every quote this check then reports');
    }
  };
  compare('crash', kv('crash-lab', '--json'));
  compare('crash-harsh', kv('crash-lab', '--harsh', '--json'));
  const tour = JSON.parse(readFileSync(join(REPO_DIR, SOURCES.tour), 'utf8'));
  compare('tour', kv('tour', '--json', '--keys', String(tour.keys)), withoutTimings);
}

// ---- report -------------------------------------------------------------------------------------

if (suggestions.length > 0) {
  console.log(suggest(suggestions));
}
for (const problem of problems) console.error(problem);
console.log(`figures: ${checked} checked against their sources, ${exempt} exempt, ${problems.length} problems`
  + (args.has('--recompute') ? '; deterministic sources recomputed' : ''));
process.exit(problems.length === 0 ? 0 : 1);

/** Candidate selectors for unmarked figures: every numeric leaf of every source that prints as the figure. */
function suggest(figures) {
  const leaves = [];
  const walk = (value, path, source) => {
    if (Array.isArray(value)) {
      value.forEach((e, i) => {
        const key = e && typeof e === 'object' && !Array.isArray(e)
          ? (['store', 'workload', 'variant', 'keys', 'heap', 'benchmark'].filter((k) => Object.hasOwn(e, k) && typeof e[k] !== 'object')
            .map((k) => `${k}=${e[k]}`).join(',') || String(i))
          : String(i);
        walk(e, `${path}[${key}]`, source);
      });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, source);
    } else if (value !== '' && !Number.isNaN(Number(value)) && typeof value !== 'boolean'
      && !/(^|\.)(point|seed|ops)$|rawData|\.points\[/.test(path)) {
      leaves.push({ source, path, value: Number(value) });
    }
  };
  const benchFiles = execFileSync('ls', [join(REPO_DIR, 'bench/results')]).toString().split('\n')
    .filter((f) => f.endsWith('.csv') || f.endsWith('.json')).map((f) => `bench/${f}`);
  for (const name of [...Object.keys(SOURCES), ...benchFiles]) {
    try { walk(load(name), '', name); } catch { /* a source that does not exist yet */ }
  }
  const out = [];
  for (const f of figures) {
    const hits = [];
    for (const leaf of leaves) {
      for (const as of TIME_SCALE[f.unit.trim()] ? ['ns', 'ms', 's'] : [null]) {
        try {
          if (matches(inPrintedUnit(leaf.value, f.unit, as, f.where), f.printed)) {
            const sep = leaf.source.startsWith('bench/') ? '' : ':';
            hits.push(`<!-- fig: ${leaf.source}${sep}${leaf.path}${as ? ` as ${as}` : ''} -->`);
          }
        } catch { /* not comparable */ }
      }
    }
    out.push(`${f.where}: ${f.figure}\n${hits.slice(0, 6).map((h) => `    ${h}`).join('\n') || '    (no source gives it)'}`);
  }
  return out.join('\n');
}
