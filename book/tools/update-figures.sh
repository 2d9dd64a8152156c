#!/usr/bin/env bash
# Produces the figure sources the book and notebooks quote (book/figures/), and records the
# machine and date they were measured on. Run it after a change that moves a count, then run
# `node book/tools/check-figures.mjs` and fix every quote it reports.
#   crash-lab.json, crash-lab-harsh.json  `kv crash-lab --json` (gentle, harsh): deterministic
#   tour.json                             `kv tour --json`: counts deterministic, timings measured
#   run.properties                        when, on what machine, with which JDK
set -euo pipefail
cd "$(dirname "$0")/../.."
out=book/figures
mkdir -p "$out"
./kv crash-lab --json > "$out/crash-lab.json"
./kv crash-lab --harsh --json > "$out/crash-lab-harsh.json"
./kv tour --json > "$out/tour.json"
{
  echo "# The machine and date book/figures was produced on (book/tools/update-figures.sh)."
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "kernel=$(uname -sr)"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/run.properties"
echo "book/figures: updated (see $out/run.properties)"
