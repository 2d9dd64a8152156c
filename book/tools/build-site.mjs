// Builds the static site: every chapter rendered with markdown-it into book/target/site/, with
// Mermaid blocks left as <pre class="mermaid"> for mermaid (copied from node_modules, no CDN) to
// render in the browser. Links between chapters (.md) become links between pages (.html); links
// into the repository are rewritten to point at the repository from target/site/. Images from
// the repository (such as ../bench/results/charts/*.png) are copied into the site, under repo/.
// Run: npm run build   (or: node tools/build-site.mjs)
import MarkdownIt from 'markdown-it';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { BOOK_DIR, REPO_DIR, markdownFiles, pageName, read, slug } from './markdown-files.mjs';

const SITE = join(BOOK_DIR, 'target', 'site');
const require = createRequire(import.meta.url);


const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
const defaultFence = md.renderer.rules.fence;
md.renderer.rules.fence = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token.info.trim() === 'mermaid') {
    return `<pre class="mermaid">${md.utils.escapeHtml(token.content)}</pre>\n`;
  }
  return defaultFence(tokens, idx, options, env, self);
};
md.core.ruler.push('heading_ids', (state) => {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type === 'heading_open') {
      const text = tokens[i + 1].children.map((t) => t.content).join('');
      tokens[i].attrSet('id', slug(text));
    }
  }
});
md.core.ruler.push('site_links', (state) => {
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type !== 'link_open') continue;
      const href = token.attrGet('href');
      if (!href || /^[a-z]+:/.test(href) || href.startsWith('#')) continue;
      const [path, anchor] = href.split('#');
      if (/^[\w-]+\.md$/.test(path)) {
        const target = path === 'README.md' ? 'about.html' : path.replace(/\.md$/, '.html');
        token.attrSet('href', target + (anchor ? `#${anchor}` : ''));
      } else if (path.startsWith('../')) {
        token.attrSet('href', `../../${href}`);
      }
    }
  }
});
// An image from the repository (../bench/results/charts/x.png) is copied to repo/bench/... in the
// site, so the page shows it when the site is served on its own.
const images = new Set();
md.core.ruler.push('site_images', (state) => {
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type !== 'image') continue;
      const src = token.attrGet('src');
      if (!src || /^[a-z]+:/.test(src) || !src.startsWith('../')) continue;
      const inRepo = relative(REPO_DIR, resolve(BOOK_DIR, src));
      if (inRepo.startsWith('..')) continue;
      images.add(inRepo);
      token.attrSet('src', `repo/${inRepo}`);
    }
  }
});

const files = markdownFiles();
const pages = files.map((file) => {
  const text = read(file);
  const title = (/^#\s+(.*)$/m.exec(text) ?? [null, basename(file)])[1];
  const name = pageName(file);
  return { file, text, title, name };
});
const chapters = pages.filter((p) => p.name !== 'about.html');

function layout(page) {
  const nav = chapters
    .map((p) => `<li${p === page ? ' class="here"' : ''}><a href="${p.name}">${md.utils.escapeHtml(p.title)}</a></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${md.utils.escapeHtml(page.title)} · kvbook</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/book.css">
</head>
<body>
<nav><p class="brand"><a href="index.html">kvbook</a></p><ol>
${nav}
</ol><p><a href="about.html">About the book's sources and checks</a></p></nav>
<main>
${md.render(page.text)}
</main>
<script src="assets/mermaid.min.js"></script>
<script>mermaid.initialize({ startOnLoad: true, securityLevel: 'strict', theme: 'neutral' });</script>
</body>
</html>
`;
}

const CSS = `body{margin:0;display:flex;font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f}
nav{width:17rem;flex:none;padding:1rem 1.2rem;background:#f4f5f7;border-right:1px solid #ddd;min-height:100vh;font-size:.92rem}
nav ol{padding-left:1.2rem}nav li{margin:.35rem 0}nav li.here a{font-weight:600}.brand{font-size:1.3rem;font-weight:700}
main{max-width:52rem;padding:1rem 2.5rem 4rem;overflow-x:auto}
pre{background:#f6f8fa;padding:.8rem;overflow-x:auto;font-size:.85rem;line-height:1.4}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,monospace;font-size:.9em}
pre.mermaid{background:none;text-align:center}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;vertical-align:top}
th{background:#f0f0f0}blockquote{border-left:4px solid #ccc;margin-left:0;padding-left:1rem;color:#555}
a{color:#0b57d0}`;

rmSync(SITE, { recursive: true, force: true });
mkdirSync(join(SITE, 'assets'), { recursive: true });
copyFileSync(require.resolve('mermaid/dist/mermaid.min.js'), join(SITE, 'assets', 'mermaid.min.js'));
writeFileSync(join(SITE, 'assets', 'book.css'), CSS);
for (const page of pages) writeFileSync(join(SITE, page.name), layout(page));
copyFileSync(join(SITE, chapters[0].name), join(SITE, 'index.html'));
for (const image of images) {
  const from = join(REPO_DIR, image);
  if (!existsSync(from)) continue;
  mkdirSync(dirname(join(SITE, 'repo', image)), { recursive: true });
  copyFileSync(from, join(SITE, 'repo', image));
}
console.log(`site: ${pages.length} pages, ${images.size} images in ${SITE}`);
