#!/bin/sh
# The grader of this kvbook student edition (@STEP@, module @MODULE@), written by 'kv lab export'.
#
#   sh .grader/grade.sh <lab-id>|all [<sha256 of .grader/tests.tar>]
#
# It grades the code in @MODULE@/src/main against the tests as the instructor exported them,
# whatever the working tree holds now:
#   1. It checks .grader/tests.tar against the SHA-256 it is given (the workflow pins it) or,
#      without one, against .grader/tests.tar.sha256. That file is as editable as any other, so
#      a run without the pinned hash shows you your grade and proves nothing to anyone else.
#   2. It puts back every file the tests and the build depend on from that archive: the tests of
#      @MODULE@, the poms, the Maven wrapper, api, testkit and what the step builds on.
#      Whatever is there is deleted first; a module whose files had changed also loses its
#      target/, so that Maven compiles the restored files instead of trusting old classes.
#   3. It adds the instructor's hidden tests, if there are any: the directory
#      @MODULE@/src/test under $KVBOOK_HIDDEN_TESTS (a directory laid out like this
#      repository), or else under $HOME/.kvbook-grader/hidden-tests (where the workflow clones
#      them). A hidden test file with the path of an exported one replaces it.
#   4. It runs ./mvnw -B -q verify -pl @MODULE@ -am: with -Dgroups=lab:<lab-id>, only the
#      tests tagged with that lab; with 'all', every test of the step.
#
# Exit code: Maven's (0 when every test it ran passed); 2 for a wrong argument or a copy of the
# tests that is not the pinned one. POSIX sh; uses tar, diff, mktemp and sha256sum (or shasum).
set -eu

step=@STEP@
module=@MODULE@
labs="@LABS@"
pinned="@PINNED@"

usage() {
  echo "usage: sh .grader/grade.sh <lab-id>|all [<sha256 of .grader/tests.tar>]" >&2
  echo "  the labs of $step: $labs" >&2
  exit 2
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

[ $# -ge 1 ] && [ $# -le 2 ] || usage
lab=$1
case " $labs all " in
  *" $lab "*) ;;
  *) echo "grader: $step has no lab '$lab'" >&2; usage ;;
esac
cd "$(dirname "$0")/.."

# 1. Is this the pinned copy of the tests?
actual=$(sha256 .grader/tests.tar)
if [ $# -eq 2 ]; then
  expected=$2
  origin="pinned by the caller"
else
  expected=$(cut -d ' ' -f 1 .grader/tests.tar.sha256)
  origin="from .grader/tests.tar.sha256: not pinned"
fi
echo "grader: sha256 of .grader/grade.sh   $(sha256 .grader/grade.sh)"
echo "grader: sha256 of .grader/tests.tar  $actual"
echo "grader: expected for tests.tar       $expected ($origin)"
if [ "$actual" != "$expected" ]; then
  echo "grader: .grader/tests.tar is not the pinned copy of the tests: no grade" >&2
  exit 2
fi

# 2. and 3. The files the tests need, as exported, with the hidden tests on top.
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
tar -xf .grader/tests.tar -C "$fresh"
hidden=${KVBOOK_HIDDEN_TESTS:-$HOME/.kvbook-grader/hidden-tests}
if [ -d "$hidden/$module/src/test" ]; then
  echo "grader: adding the hidden tests under $hidden/$module/src/test"
  mkdir -p "$fresh/$module/src/test"
  cp -Rp "$hidden/$module/src/test/." "$fresh/$module/src/test/"
fi
for path in $pinned; do
  if ! diff -r "$fresh/$path" "$path" >/dev/null 2>&1; then
    echo "grader: restoring $path"
    case $path in
      */*) rm -rf "${path%%/*}/target" ;; # a module's pom or sources: build that module again
      *) rm -rf ./*/target ;;             # the parent pom, the wrapper or lib/: build every module again
    esac
  fi
  rm -rf "$path"
  mkdir -p "$(dirname "$path")"
  cp -Rp "$fresh/$path" "$path" # -p keeps the archive's old times: unchanged files need no new compile
done

# 4. The build.
if [ "$lab" = all ]; then
  set -- -B -q verify -pl "$module" -am
else
  set -- -B -q verify -pl "$module" -am "-Dgroups=lab:$lab"
fi
echo "grader: ./mvnw $*"
status=0
./mvnw "$@" || status=$?
if [ "$status" -eq 0 ]; then
  echo "grader: $lab passed"
else
  echo "grader: $lab failed (exit $status)"
fi
exit "$status"
