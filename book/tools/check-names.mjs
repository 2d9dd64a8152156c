// Check 2: every class, member, package and repository path the book names exists.
//
// The convention (see book/README.md): inside a chapter, outside fenced code blocks,
//  - a backticked name starting with a capital letter is a code reference:
//      `ClassName`, `ClassName.member`, `Outer.Nested.member`, `ClassName#member`, `ClassName.method(args)`
//    The class must be a type declared in the repository's Java sources, or be listed in
//    tools/external-names.txt (JDK and other outside names, not checked further). Each member
//    after it must be declared in the file(s) declaring that class. ALL_CAPS spans alone
//    (`PUT`, `KVP1`) are constants of a format, not references.
//  - a backticked `dev.kvbook.x` must be a package of the repository;
//  - a backticked path with a slash (`step4-btree/src/test/resources/golden/`) is relative to the
//    repository root and must exist; absolute paths (`/sim/store`) are examples, not references;
//  - every relative Markdown link target must exist (anchors are not checked here).
// Prints each failure as file:line, then "names: N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildIndex } from './java-index.mjs';
import { BOOK_DIR, REPO_DIR, markdownFiles, read } from './markdown-files.mjs';

const { types, packages } = buildIndex();
const external = new Set(
  readFileSync(join(BOOK_DIR, 'tools', 'external-names.txt'), 'utf8')
    .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean),
);

let passed = 0;
let failed = 0;
const fail = (where, message) => { failed++; console.log(`FAIL ${where}: ${message}`); };

function checkReference(span, where) {
  const ref = /^([A-Z]\w*)((?:[.#][A-Za-z_$][\w$]*)*)(\(.*\))?$/.exec(span);
  if (!ref) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(span)) return false; // a constant or format word, not a reference
  if (/^[\w-]+\.(md|txt|json|log|db|bin|pickle|sh|java|xml)$/.test(span)) return false; // a file name
  const [, head, rest] = ref;
  if (external.has(head)) { passed++; return true; }
  let entry = types.get(head);
  if (!entry) { fail(where, `\`${span}\`: no type ${head} in the repository (nor in tools/external-names.txt)`); return true; }
  for (const member of rest.split(/[.#]/).filter(Boolean)) {
    if (!entry.members.has(member)) {
      fail(where, `\`${span}\`: ${member} is not declared in ${entry.files.join(', ')}`);
      return true;
    }
    entry = types.get(member) ?? entry; // a nested type: go on with its members
  }
  passed++;
  return true;
}

function checkSpan(span, where) {
  if (checkReference(span, where)) return;
  if (/^dev\.kvbook(\.\w+)+$/.test(span)) {
    if (packages.has(span)) passed++; else fail(where, `\`${span}\`: no such package`);
    return;
  }
  if (/^[\w.-]+(\/[\w.-]+)+\/?$/.test(span) && !span.startsWith('/')) {
    if (existsSync(join(REPO_DIR, span))) passed++; else fail(where, `\`${span}\`: no such path from the repository root`);
  }
}

// README.md documents this convention with made-up names, so only the chapters are checked.
for (const file of markdownFiles().filter((f) => !f.endsWith('README.md'))) {
  const name = relative(BOOK_DIR, file);
  let fence = null;
  read(file).split('\n').forEach((line, i) => {
    const where = `${name}:${i + 1}`;
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      return;
    }
    if (fence) return;
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/`([^`]+)`/g)) checkSpan(m[1].trim(), where);
    for (const m of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1].split('#')[0];
      if (!target || /^[a-z]+:/.test(target)) continue;
      if (existsSync(resolve(dirname(file), target))) passed++; else fail(where, `link target ${m[1]} does not exist`);
    }
  });
}
console.log(`names: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
