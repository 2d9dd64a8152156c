#!/usr/bin/env bash
# Installs a Java Jupyter kernel named "kvbook-java" whose class path is the kvbook workbook
# (its own name, so a Java kernel you already have, such as IJava's or JJava's "java", stays as it is).
#
#   notebooks/install-kernel.sh             build the workbook, then install for this user
#   notebooks/install-kernel.sh --no-build  use the jars already installed in ~/.m2
#
# The kernel is rapaio-jupyter-kernel 3.0.1 (runs on JDK 17), fetched from Maven Central by
# the Maven wrapper. The kernelspec goes to $JUPYTER_DATA_DIR/kernels/kvbook-java, or
# ~/.local/share/jupyter/kernels/kvbook-java when JUPYTER_DATA_DIR is not set (check.sh sets it to a
# temporary directory). Extra Maven flags (say -o for offline) can be given in MVN_FLAGS.
#
# The class path reaches the kernel through RJK_CLASSPATH in the kernelspec's environment. Its
# entries are separated by ';' whatever the platform: with ':' the kernel silently adds nothing.
set -euo pipefail

RJK_VERSION=3.0.1
KERNEL_NAME=kvbook-java
build=yes
for arg in "$@"; do
  case "$arg" in
    --no-build) build=no ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "install-kernel.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn=(./mvnw -q -B --no-transfer-progress ${MVN_FLAGS:-})

if [ "$build" = yes ]; then
  echo "install-kernel: building the workbook (./mvnw install -DskipTests)"
  "${mvn[@]}" install -DskipTests
fi

kernel_dir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/$KERNEL_NAME"
mkdir -p "$kernel_dir"
jar="$kernel_dir/rapaio-jupyter-kernel-$RJK_VERSION.jar"

echo "install-kernel: fetching io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION"
"${mvn[@]}" -f notebooks/pom.xml dependency:copy \
  -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" \
  -DoutputDirectory="$kernel_dir"

echo "install-kernel: working out the class path of notebooks/pom.xml"
"${mvn[@]}" -f notebooks/pom.xml dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.pathSeparator=';' \
  -Dmdep.outputFile="$kernel_dir/classpath.txt"
classpath="$(cat "$kernel_dir/classpath.txt")"
case "$classpath" in
  *kvbook-step1-pickled-map*) ;;
  *) echo "install-kernel: the class path does not name the stores: $classpath" >&2; exit 1 ;;
esac

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_bin="$JAVA_HOME/bin/java"; else java_bin="$(command -v java)"; fi

json_string() {  # prints $1 as a JSON string
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

cat > "$kernel_dir/kernel.json" <<JSON
{
  "argv": [$(json_string "$java_bin"), "-Djava.awt.headless=true", "-jar", $(json_string "$jar"), "{connection_file}"],
  "display_name": "Java (kvbook)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "RJK_CLASSPATH": $(json_string "$classpath"),
    "RJK_COMPILER_OPTIONS": "",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1"
  }
}
JSON
echo "install-kernel: installed kernel '$KERNEL_NAME' in $kernel_dir"
