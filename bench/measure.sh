#!/usr/bin/env bash
# Runs one of the single-step measurements in bench/src/main/java/dev/kvbook/bench/measure:
#
#   bench/measure.sh GetCostByLogLength            step 2: a get's cost against the log's length
#   bench/measure.sh OpenTimeAndThroughput [keys]  step 3: load, reopen with and without hints
#   bench/measure.sh BTreeScaling [N...]           step 4: puts, gets, scans and height (run in -Xmx64m)
#   bench/measure.sh CommitThroughput [dir]        step 5: durable commits from 1 and 8 threads
#   bench/measure.sh MapFeatureCost [keys] [rounds] [--out F.csv]  PersistentMap over step 3: each feature's cost
#   bench/measure.sh OpeningQuestion [n] [rounds] [--out F.csv]  a pickled dict vs PersistentMap over steps 3 and 5
#   bench/measure.sh LsmLoadTable [N...] [--out F.csv]   step 6: bytes written and on disk per key, beside steps 3-5 and RocksDB
#   bench/measure.sh BloomFilterRate [keys] [--out F.csv]  step 6: Bloom false positives against the formula
#
# JAVA_OPTS is passed to java (BTreeScaling's bounded-memory claim wants JAVA_OPTS=-Xmx64m).
# Figures go to standard output (with --out, also to a CSV the book's figure check reads);
# they are measurements of this machine, not test results.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ $# -lt 1 || "$1" == "--help" || "$1" == "-h" ]]; then
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
name="$1"
shift
./mvnw -q -B -pl bench -am -DskipTests package
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "$classpath" "dev.kvbook.bench.measure.$name" "$@"
