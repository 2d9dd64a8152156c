#!/usr/bin/env bash
# The book's checks, in one command (CI runs `bash book/check.sh`):
#   1. every Mermaid block parses (mermaid + jsdom, no browser)
#   2. every class, member, package, path and link the book names exists in the repository
#   3. every Java block is included from real source, or compiled and run
#   4. the static site builds, and headless Chromium renders every page it built (index, about,
#      every chapter and the appendix) without console errors (screenshots in book/target/screenshots/)
#   5. every figure quoted in the chapters, the notebooks' prose and the step READMEs carries a
#      marker naming its machine-readable source and equals it; crash-lab and the tour's counts
#      are produced again
#   6. every anchored link lands on a heading; each step chapter's companions block (notebook,
#      labs, source) is current; each step's notebook links back to a section of its chapter
#   7. every shell block marked <!-- run --> runs (with the checkout's kv on the PATH) and exits as
#      its marker says; every shell block of the labs guide carries such a marker
# Installs what it needs: the pinned npm packages (npm ci) and Debian's chromium if missing.
set -euo pipefail
cd "$(dirname "$0")"
started=$SECONDS

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "book: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [[ -z "${CHROMIUM:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
  echo "book: installing Debian's chromium"
  sudo_cmd=""
  if [[ "$(id -u)" != 0 ]]; then sudo_cmd="sudo -n"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get install -y -q chromium >/dev/null 2>&1 \
    || { $sudo_cmd apt-get update -q >/dev/null && $sudo_cmd apt-get install -y -q chromium >/dev/null; }
fi

failures=0
passes=0
run() {
  echo "== $1"
  shift
  if "$@"; then passes=$((passes + 1)); else failures=$((failures + 1)); fi
}
run "1. Mermaid blocks parse" node tools/check-mermaid.mjs
run "2. names and paths exist" node tools/check-names.mjs
run "3. Java blocks are real" node tools/check-code-blocks.mjs
run "4a. site builds" node tools/build-site.mjs
run "4b. site renders in Chromium" node tools/test-site.mjs
run "5. every quoted figure matches its source" node tools/check-figures.mjs --recompute
run "6. chapters, notebooks, labs and source link each other" node tools/check-links.mjs
run "7. shell commands run" node tools/check-commands.mjs

echo "book: the checks took $((SECONDS - started)) s"
echo "book: ${passes} passed, ${failures} failed"
((failures == 0))
