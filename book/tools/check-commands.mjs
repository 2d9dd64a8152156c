// Check 7: the book's shell commands run, as a reader would type them.
//
// An `sh` block whose marker line (the HTML comment right before it) is `<!-- run -->` is run by
// `bash -eu` and must exit 0; with `<!-- run: exit N -->` it must exit N (a grader that fails
// before any work, say). The blocks of one chapter run in order, each starting in the same fresh
// scratch directory outside the checkout, so a later block may use what an earlier one made
// (`kv lab export ... --out D`, then `cd D`). `kv` is on the PATH: a script that runs the
// checkout's ./kv, which builds the CLI when it is out of date.
//
// Every `sh` block of the chapters in MUST_RUN needs one of the markers; elsewhere an unmarked
// block is left alone. Prints each failure with the block's output, then "commands: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { BOOK_DIR, REPO_DIR, fencedBlocks, markdownFiles, read } from './markdown-files.mjs';

/** The chapters whose every `sh` block must be run: the labs guide and the instructor's guide, whose commands readers copy. */
const MUST_RUN = ['08-labs-guide.md', '10-instructors-guide.md'];
const MARKER = /^<!--\s*run(?::\s*exit\s+(\d+))?\s*-->$/;

let passed = 0;
let failed = 0;
const fail = (where, message) => { failed++; console.log(`FAIL ${where}: ${message}`); };

const scratch = mkdtempSync(join(tmpdir(), 'book-commands-'));
const bin = join(scratch, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'kv'), `#!/bin/sh\nexec '${join(REPO_DIR, 'kv')}' "$@"\n`);
chmodSync(join(bin, 'kv'), 0o755);

try {
  for (const file of markdownFiles()) {
    const name = relative(BOOK_DIR, file);
    const blocks = fencedBlocks(read(file)).filter((b) => b.lang === 'sh');
    let dir = null;
    for (const block of blocks) {
      const where = `${name}:${block.line}`;
      const marker = MARKER.exec(block.marker ?? '');
      if (!marker) {
        if (MUST_RUN.includes(basename(file))) fail(where, 'an sh block here needs <!-- run --> or <!-- run: exit N --> before it');
        continue;
      }
      if (dir === null) {
        dir = join(scratch, basename(file, '.md'));
        mkdirSync(dir);
      }
      const expected = Number(marker[1] ?? 0);
      const run = spawnSync('bash', ['-eu', '-c', block.body], {
        cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
      if (run.status === expected) {
        passed++;
      } else {
        const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
        fail(where, `exited ${run.status ?? run.signal}, expected ${expected}:\n${output}`);
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log(`commands: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
