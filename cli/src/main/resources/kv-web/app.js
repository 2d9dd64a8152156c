// kv web's page: plain JavaScript, no build step, no library. It sends each command to the server
// (POST /api/command with the page's token) and redraws what the answer carries: the picture (an SVG
// drawn in Java), the cost of the command and the store's figures. window.kvweb keeps the last
// answers, for a person at the browser's console and for book/tools/test-web.mjs.
'use strict';

const TOKEN = new URLSearchParams(location.search).get('token') ?? '';
const $ = (id) => document.getElementById(id);
const kvweb = { info: null, last: null, crash: null, recovered: null, busy: 0, runs: 0, lastError: null };
window.kvweb = kvweb;
const history = [];
let historyAt = 0;

async function call(method, path, body) {
  kvweb.busy++;
  try {
    const response = await fetch(path, {
      method,
      headers: { 'X-Kv-Token': TOKEN, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
    return answer;
  } finally {
    kvweb.busy--;
  }
}

function showOutput(text, isError) {
  $('output').textContent = text;
  $('output').classList.toggle('error', Boolean(isError));
}

// The answer to a command (or the first look): picture, captions, cost, figures.
function draw(answer) {
  kvweb.last = answer;
  $('picture').innerHTML = answer.svg;
  const lookup = answer.model?.lookup;
  // A wide tree or a long strip scrolls inside its frame: bring into view the item that answered the
  // last get (the end of its path), else the first thing the command changed.
  const answered = lookup?.touched.at(-1);
  const focus = (answered && $('picture').querySelector(`g.item[data-id="${CSS.escape(answered)}"]`))
    ?? $('picture').querySelector('g.item.added, g.item.moved, g.item.freed');
  focus?.scrollIntoView({ block: 'nearest', inline: 'center' });
  $('lookup-note').textContent = lookup
    ? `The last get (${lookup.key}, ${lookup.found ? 'found' : 'not found'}) read ${lookup.touched.length} item(s), outlined in order: ${lookup.touched.join(' → ')}. ${lookup.note}`
    : 'Run get KEY to see the path a lookup takes.';
  $('inspect-problem').hidden = !answer.inspectProblem;
  $('inspect-problem').textContent = answer.inspectProblem ?? '';
  const problems = answer.model?.problems ?? [];
  if (problems.length > 0) {
    $('inspect-problem').hidden = false;
    $('inspect-problem').textContent = `The inspector found damage: ${problems.join('; ')}`;
  }
  $('page-first').value = answer.window.first;
  $('page-limit').value = answer.window.limit;
  table($('cost'), [
    ['bytes written', answer.cost.bytesWritten],
    ['bytes read', answer.cost.bytesRead],
    ['write calls', answer.cost.writes],
    ['read calls', answer.cost.reads],
    ['fsyncs', answer.cost.syncs],
    ['creates, renames, deletes', answer.cost.metadataOps],
  ]);
  table($('cost-files'), answer.cost.files.map((f) =>
    [f.file, `${f.bytesWritten.toLocaleString('en')} B written (${f.writes} calls), ${f.bytesRead.toLocaleString('en')} B read, ${f.syncs} fsyncs`]));
  const s = answer.stats;
  table($('stats'), [
    ['live keys', s.liveKeys],
    ['files', s.files],
    ['bytes on disk', s.bytesOnDisk],
    ['garbage bytes', s.garbageBytes],
    ...Object.entries(s.details),
    ['transaction open', answer.inTransaction ? 'yes' : 'no'],
  ]);
}

function table(element, rows) {
  element.replaceChildren(...rows.map(([name, value]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('td');
    th.textContent = name;
    const td = document.createElement('td');
    td.textContent = typeof value === 'number' ? value.toLocaleString('en') : String(value);
    if (typeof value === 'number') td.className = 'number';
    tr.append(th, td);
    return tr;
  }));
}

async function run(command) {
  command = command.trim();
  if (!command) return;
  if (history[history.length - 1] !== command) history.push(command);
  historyAt = history.length;
  try {
    const answer = await call('POST', '/api/command', { command });
    draw(answer);
    kvweb.lastError = null;
    showOutput(`> ${command}\n${answer.output}`, false);
  } catch (e) {
    kvweb.lastError = e.message;
    showOutput(`> ${command}\n${e.message}`, true);
  } finally {
    kvweb.runs++;
  }
}

// A button per verb: those that need words put the verb on the command line; the others run.
const NEEDS_WORDS = { put: 'put ', get: 'get ', del: 'del ', page: 'page 0 ' };
const BUTTON_TEXT = { load: 'load 200', scan: 'scan' };
function buttons(info) {
  const box = $('buttons');
  for (const verb of info.verbs) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = BUTTON_TEXT[verb] ?? verb;
    button.dataset.verb = verb;
    if (info.maintenance.includes(verb)) {
      button.className = 'maintenance';
      button.title = `the store's own '${verb}' operation`;
    }
    button.addEventListener('click', () => {
      if (NEEDS_WORDS[verb]) {
        $('command').value = NEEDS_WORDS[verb];
        $('command').focus();
      } else {
        run(BUTTON_TEXT[verb] ?? verb);
      }
    });
    box.append(button);
  }
}

async function listCrashPoints() {
  $('crash-list').disabled = true;
  $('crash-result').textContent = 'running the workload with a crash at every I/O call…';
  try {
    const answer = await call('POST', '/api/crash', {});
    kvweb.crash = answer;
    $('crash-workload').replaceChildren(...answer.workload.map((op) => {
      const li = document.createElement('li');
      li.textContent = op;
      return li;
    }));
    $('crash-point').replaceChildren(...answer.points.map((p) => {
      const option = document.createElement('option');
      option.value = p.point;
      option.textContent = `${p.point}: ${p.call} — during ${p.during} → ${p.outcome}`;
      return option;
    }));
    $('crash-point').disabled = false;
    $('crash-play').disabled = false;
    $('crash-result').textContent = `${answer.points.length} crash points. ${answer.summary}`;
  } catch (e) {
    $('crash-result').textContent = e.message;
  } finally {
    $('crash-list').disabled = false;
  }
}

async function playCrash() {
  const point = Number($('crash-point').value);
  try {
    const answer = await call('POST', '/api/crash', { point });
    kvweb.recovered = answer;
    const result = $('crash-result');
    result.replaceChildren();
    const head = document.createElement('p');
    head.textContent = `Power cut at call ${answer.point} (${answer.call}) during "${answer.during}". Verdict: ${answer.outcome}.`;
    result.append(head);
    const body = document.createElement('p');
    if (answer.refused) {
      body.className = 'refused';
      body.textContent = `The store refused to open: ${answer.refused}`;
    } else {
      body.textContent = `Recovered ${answer.entries.length} entries: ${answer.entries.join(', ') || '(none)'}`;
    }
    result.append(body);
    $('crash-picture').innerHTML = answer.svg;
  } catch (e) {
    $('crash-result').textContent = e.message;
  }
}

async function start() {
  try {
    const info = await call('GET', '/api/info');
    kvweb.info = info;
    $('store-name').textContent = `— ${info.store}${info.readOnly ? ' (read-only)' : ''}`;
    $('store-description').textContent = info.description;
    $('store-path').textContent = `${info.path}${info.readOnly ? ' · read-only: get, scan and the picture only; nothing is written' : ''}`;
    $('page-limit').max = info.maxLimit;
    buttons(info);
    draw(await call('GET', '/api/state'));
    showOutput(info.readOnly ? 'Read-only: try get KEY or scan.' : 'Try: load 200, then get key00042, then del key00042.', false);
  } catch (e) {
    showOutput(e.message, true);
  }
}

$('command-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const command = $('command').value;
  $('command').value = '';
  run(command);
});
$('command').addEventListener('keydown', (event) => {
  if (event.key === 'ArrowUp' && historyAt > 0) {
    historyAt--;
    $('command').value = history[historyAt];
    event.preventDefault();
  } else if (event.key === 'ArrowDown' && historyAt < history.length) {
    historyAt++;
    $('command').value = history[historyAt] ?? '';
    event.preventDefault();
  }
});
$('pager').addEventListener('submit', (event) => {
  event.preventDefault();
  run(`page ${$('page-first').value} ${$('page-limit').value}`);
});
$('page-prev').addEventListener('click', () => {
  const limit = Number($('page-limit').value);
  run(`page ${Math.max(0, Number($('page-first').value) - limit)} ${limit}`);
});
$('page-next').addEventListener('click', () => {
  const limit = Number($('page-limit').value);
  run(`page ${Number($('page-first').value) + limit} ${limit}`);
});
$('crash-list').addEventListener('click', listCrashPoints);
$('crash-play').addEventListener('click', playCrash);
start();
