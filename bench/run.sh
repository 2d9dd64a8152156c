#!/usr/bin/env bash
# Runs the kvbook bench: every step on the class path against RocksDB, LMDB, H2 MVStore, SQLite,
# MapDB, Berkeley DB JE, the in-memory maps and the raw append/fsync loop.
#
#   bench/run.sh [--quick|--full] [--only PATTERN]
#   bench/run.sh --render
#
#   --quick         the default: under ten minutes on two cores, noisy figures
#   --full          the figures the book quotes: longer iterations, two forks, up to 10^6 keys
#   --only PATTERN  only contenders whose name matches the regular expression (e.g. 'step|rocksdb');
#                   the steps through PersistentMap (map-step1 ... map-step3-all) run only when
#                   PATTERN says 'map' (--only 'map-' runs them alone; 'map' alone also
#                   matches mapdb, hashmap and treemap)
#   --out DIR       write RESULTS.md and results/ under DIR instead of bench/
#   --render        run nothing: redraw the charts and rewrite RESULTS.md from the last run's
#                   bench/results/ files (after changing the page, the charts or a target's verdict)
#
# Both plans also run, when their step matches PATTERN: step 3 reopened with and without hint files
# at 10^5 and 10^6 keys (HintFileReopen), and step 4 loading 10^6 keys in a child JVM started with
# -Xmx64m (SmallHeapLoad; about 30 s, so it is part of --quick as well); and, when step 4 and
# rocksdb both match, step 4 loading 10^4 keys into its buffer pool beside RocksDB (PoolLoad); and,
# when step6 matches, step 6's load table beside steps 3-5 and RocksDB at 10^4, 10^5 and, with --full,
# 10^6 keys (LsmLoad,
# results/lsm-load.csv) and its Bloom filters against the formula (BloomFalsePositives, results/bloom-fp.csv).
#
# Writes bench/RESULTS.md, bench/results/*.csv, bench/results/run.properties,
# bench/results/jmh-*.json, bench/results/charts/*.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --quick|--full|--render|--only|--out) ;;
    -*) echo "bench/run.sh: unknown option $arg" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ $# -eq 0 ]]; then
  echo "bench: no plan given, so --quick (about ten minutes on two cores); bench/run.sh --help lists the options" >&2
fi

# Build the bench. Once the root pom lists the module, build it with the stores it depends on;
# until then, build it alone against the stores installed in ~/.m2.
if grep -q '<module>bench</module>' pom.xml; then
  ./mvnw -q -B -pl bench -am -DskipTests package
else
  ./mvnw -q -B -f bench/pom.xml -DskipTests package
fi

classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
exec java -XX:+IgnoreUnrecognizedVMOptions --enable-native-access=ALL-UNNAMED \
  -Dkvbook.bench.command="bench/run.sh $*" \
  -cp "$classpath" dev.kvbook.bench.BenchMain --out bench "$@"
