// A rough index of the repository's Java sources: which types exist, and which members
// (methods, fields, record components, enum constants, nested types) each declares. Good enough
// to tell whether a name the book uses still exists; not a Java parser.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_DIR } from './markdown-files.mjs';

const SKIP_DIRS = new Set(['.git', 'node_modules', 'target', 'book', '.mvn', '.idea']);
const NOT_A_TYPE = new Set(['return', 'new', 'throw', 'else', 'case', 'yield', 'assert', 'import', 'package', 'break', 'continue']);
const MODIFIERS = '(?:(?:public|protected|private|static|final|abstract|synchronized|default|native|sealed|non-sealed|strictfp)\\s+)*';
const METHOD = new RegExp(`^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s+)*${MODIFIERS}(?:<[^>]+>\\s+)?([\\w.$]+(?:<[^()]*>)?(?:\\[\\])*)\\s+(\\w+)\\s*\\(`);
const FIELD = /^\s*(?:(?:public|protected|private|static|final|volatile|transient)\s+)+[\w.$<>\[\], ?]+?\s+(\w+)\s*(?:=|;)/;
const TYPE = /\b(class|interface|enum|record|@interface)\s+([A-Z]\w*)/g;

export function javaFiles(dir = REPO_DIR, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) javaFiles(join(dir, entry.name), out);
    } else if (entry.name.endsWith('.java')) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

/** Map from a type's simple name to { files: [...], members: Set }. */
export function buildIndex() {
  const types = new Map();
  const packages = new Set();
  for (const file of javaFiles()) {
    const text = readFileSync(file, 'utf8');
    const pkg = /^package\s+([\w.]+);/m.exec(text);
    if (pkg) packages.add(pkg[1]);
    const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
    const members = new Set();
    const declared = [];
    for (const m of code.matchAll(TYPE)) declared.push(m[2]);
    const isEnum = /\benum\s+[A-Z]/.test(code);
    for (const line of code.split('\n')) {
      const method = METHOD.exec(line);
      if (method && !NOT_A_TYPE.has(method[1])) members.add(method[2]);
      const field = FIELD.exec(line);
      if (field) members.add(field[1]);
      if (isEnum) {
        const constant = /^\s*([A-Z][A-Z0-9_]*)\s*(?:\(|,|;|$)/.exec(line);
        if (constant) members.add(constant[1]);
      }
      const ctor = /^\s*(?:(?:public|protected|private)\s+)?([A-Z]\w*)\s*(?:\(|\{)/.exec(line);
      if (ctor) members.add(ctor[1]);
    }
    for (const r of code.matchAll(/\brecord\s+\w+\s*(?:<[^>]*>)?\s*\(([^)]*)\)/g)) {
      for (const c of r[1].matchAll(/(\w+)\s*(?:,|$)/g)) members.add(c[1]);
    }
    declared.forEach((t) => members.add(t));
    for (const t of declared) {
      const entry = types.get(t) ?? { files: [], members: new Set() };
      entry.files.push(relative(REPO_DIR, file));
      members.forEach((m) => entry.members.add(m));
      types.set(t, entry);
    }
  }
  return { types, packages };
}
