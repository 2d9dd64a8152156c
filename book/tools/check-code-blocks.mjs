// Check 3: every ```java block of the book either
//   - is included from real source: the line before it is <!-- include: path#member -->, and the
//     block must equal that member's declaration (its Javadoc, annotations and body, found by
//     brace matching, dedented, without the labs' marker lines, `// LAB:BEGIN`, `// BUILD:END` and the like) in the file
//     at path (from the repository root); or
//   - is compiled and run: the line before it is <!-- compile -->. The block becomes the body of
//     `static void run(Path dir) throws Exception`, with the api and step packages imported, and is
//     compiled with javac against the modules' target/classes and run with a fresh directory.
// `node tools/check-code-blocks.mjs --fix` rewrites included blocks from the source.
// Prints "code blocks: N passed, N failed".
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BOOK_DIR, REPO_DIR, fencedBlocks, markdownFiles, read } from './markdown-files.mjs';

const fix = process.argv.includes('--fix');
let passed = 0;
let failed = 0;
const fail = (where, message) => { failed++; console.log(`FAIL ${where}: ${message}`); };

/** The declaration of `member` in `source`: Javadoc + annotations + signature + body, dedented. */
export function extractMember(source, member) {
  const lines = source.split('\n');
  const decl = new RegExp(`^\\s*(?:@\\w+\\s+)*(?:(?:public|protected|private|static|final|abstract|synchronized|default)\\s+)*(?:<[^>]+>\\s+)?\\w[\\w.<>\\[\\], ?]*\\s+${member}\\s*\\(`);
  const start = lines.findIndex((l) => decl.test(l) && !/^\s*(return|new|throw)\b/.test(l));
  if (start < 0) return null;
  let first = start;
  while (first > 0 && /^\s*@/.test(lines[first - 1])) first--;
  if (first > 0 && /\*\/\s*$/.test(lines[first - 1])) {
    while (first > 0 && !/^\s*\/\*\*/.test(lines[first - 1])) first--;
    first--;
  }
  let depth = 0;
  let opened = false;
  let end = start;
  for (; end < lines.length; end++) {
    const code = lines[end].replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\/\/.*$/g, '');
    for (const ch of code) {
      if (ch === '{') { depth++; opened = true; } else if (ch === '}') depth--;
    }
    if (opened && depth === 0) break;
    if (!opened && /;\s*$/.test(code)) break; // an abstract or interface method
  }
  // Lab markers (`// LAB:BEGIN id — task`, `// LAB:END`, and the build labs' `// BUILD:BEGIN` and
  // `// BUILD:END`) delimit the parts the labs blank out; they are not part of the code the book shows.
  const chunk = lines.slice(first, end + 1).filter((l) => !/^\s*\/\/ (LAB|BUILD):(BEGIN|END)\b/.test(l));
  const indent = Math.min(...chunk.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)[0].length));
  return chunk.map((l) => l.slice(indent)).join('\n');
}

const snippets = [];
for (const file of markdownFiles()) {
  const name = relative(BOOK_DIR, file);
  let text = read(file);
  let changed = false;
  // Bottom-up, so that fixing a block never moves the lines of the blocks still to be checked.
  const lines = text.split('\n');
  for (const block of fencedBlocks(text).reverse()) {
    if (block.lang !== 'java') continue;
    const where = `${name}:${block.line}`;
    const include = /^<!--\s*include:\s*([^#\s]+)#(\w+)\s*-->$/.exec(block.marker ?? '');
    if (include) {
      const [, path, member] = include;
      const source = join(REPO_DIR, path);
      const expected = existsSync(source) ? extractMember(readFileSync(source, 'utf8'), member) : null;
      if (expected === null) { fail(where, `cannot find ${member} in ${path}`); continue; }
      if (expected === block.body) { passed++; continue; }
      if (fix) {
        lines.splice(block.line, block.endLine - block.line - 1, ...expected.split('\n'));
        changed = true;
        passed++;
        console.log(`fixed ${where} from ${path}#${member}`);
      } else {
        fail(where, `differs from ${path}#${member} (run: node tools/check-code-blocks.mjs --fix)`);
      }
      continue;
    }
    if (/^<!--\s*compile\s*-->$/.test(block.marker ?? '')) {
      snippets.unshift({ where, body: block.body });
      continue;
    }
    fail(where, 'a java block needs <!-- include: path#member --> or <!-- compile --> on the line before it');
  }
  if (changed) writeFileSync(file, lines.join('\n'));
}

if (snippets.length > 0) {
  const modules = ['api', 'step1-pickled-map', 'step2-append-log', 'step3-hash-index', 'step4-btree', 'step5-wal'];
  const classes = modules.map((m) => join(REPO_DIR, m, 'target', 'classes'));
  if (!classes.every((c) => existsSync(c))) {
    console.log('code blocks: building the modules the snippets need (./mvnw compile, tests skipped)');
    execFileSync(join(REPO_DIR, 'mvnw'), ['-q', '-B', '-DskipTests', '-Dmaven.test.skip=true',
      '-pl', modules.slice(1).join(','), '-am', 'compile'], { cwd: REPO_DIR, stdio: 'inherit' });
  }
  const out = join(BOOK_DIR, 'target', 'snippets');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const imports = ['dev.kvbook.api.*', 'dev.kvbook.api.vfs.*', 'dev.kvbook.pickled.*', 'dev.kvbook.applog.*', 'dev.kvbook.hashindex.*',
    'dev.kvbook.btree.*', 'dev.kvbook.wal.*', 'java.nio.file.*', 'java.util.*'].map((i) => `import ${i};`).join('\n');
  const sources = snippets.map((s, i) => {
    const path = join(out, `Snippet${i}.java`);
    writeFileSync(path, `// from book/${s.where}\n${imports}\n\nclass Snippet${i} {\n    static void run(Path dir) throws Exception {\n${s.body}\n    }\n}\n`);
    return path;
  });
  const calls = snippets.map((s, i) => `        Snippet${i}.run(Files.createTempDirectory("snippet${i}"));`).join('\n');
  writeFileSync(join(out, 'RunSnippets.java'), `import java.nio.file.*;\n\nclass RunSnippets {\n    public static void main(String[] args) throws Exception {\n${calls}\n    }\n}\n`);
  const cp = classes.join(':');
  try {
    execFileSync('javac', ['-d', join(out, 'classes'), '-cp', cp, ...sources, join(out, 'RunSnippets.java')], { stdio: 'pipe' });
    execFileSync('java', ['-ea', '-cp', `${cp}:${join(out, 'classes')}`, 'RunSnippets'], { stdio: 'pipe' });
    passed += snippets.length;
  } catch (e) {
    const message = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
    for (const s of snippets) fail(s.where, 'the snippets do not compile and run');
    console.log(message);
  }
}

console.log(`code blocks: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
