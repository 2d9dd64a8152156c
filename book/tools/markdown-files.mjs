// The chapters of the book, in reading order, and helpers shared by the checks.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BOOK_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = join(BOOK_DIR, '..');

/** Every Markdown file of the book: the chapters (NN-*.md, appendix-*.md) and README.md. */
export function markdownFiles() {
  return readdirSync(BOOK_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(BOOK_DIR, f));
}

/** The site page a Markdown file becomes: README.md → about.html, NN-name.md → NN-name.html. */
export function pageName(file) {
  return basename(file) === 'README.md' ? 'about.html' : basename(file).replace(/\.md$/, '.html');
}

/**
 * The fenced code blocks of a Markdown text: { lang, info, body, line (1-based line of the
 * opening fence), endLine, marker (the HTML comment on the line before, if any) }.
 */
export function fencedBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) {
      body.push(lines[j]);
      j++;
    }
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    const marker = k >= 0 && /^\s*<!--.*-->\s*$/.test(lines[k]) ? lines[k].trim() : null;
    blocks.push({ lang: open[3].toLowerCase(), info: open[4].trim(), body: body.join('\n'), line: i + 1, endLine: j + 1, marker });
    i = j;
  }
  return blocks;
}

export function read(file) {
  return readFileSync(file, 'utf8');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text) {
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}
