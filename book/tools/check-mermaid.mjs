// Check 1: every ```mermaid block of the book parses with the mermaid package itself.
// Mermaid needs a DOM (it sanitizes labels with DOMPurify), so a jsdom window is made global
// *before* mermaid is imported. Prints one line per failure as file:line, then
// "N passed, N failed". Exit code 1 when any block fails.
import { JSDOM } from 'jsdom';
import { relative } from 'node:path';
import { BOOK_DIR, fencedBlocks, markdownFiles, read } from './markdown-files.mjs';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ['Element', 'HTMLElement', 'SVGElement', 'Node', 'DOMParser', 'XMLSerializer', 'getComputedStyle']) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

let passed = 0;
let failed = 0;
for (const file of markdownFiles()) {
  for (const block of fencedBlocks(read(file))) {
    if (block.lang !== 'mermaid') continue;
    const where = `${relative(BOOK_DIR, file)}:${block.line}`;
    try {
      await mermaid.parse(block.body);
      passed++;
    } catch (e) {
      failed++;
      const message = String(e?.message ?? e).split('\n').slice(0, 4).join(' | ');
      console.log(`FAIL ${where}: ${message}`);
    }
  }
}
console.log(`mermaid: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
