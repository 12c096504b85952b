#!/usr/bin/env bash
# Run a command and check its exit status and output (stdout + stderr together).
# usage: expect.sh EXIT REGEX [--absent FILE] -- COMMAND [ARGS...]
#   EXIT   a number, or "nonzero"
#   REGEX  an extended regular expression the output must match
#   --absent FILE   the file must not exist afterwards (no partial output)
set -u
expected_rc=$1; regex=$2; shift 2
absent=""
if [ "${1:-}" = "--absent" ]; then absent=$2; shift 2; fi
[ "${1:-}" = "--" ] && shift
[ -n "$absent" ] && rm -f "$absent"
output=$("$@" 2>&1); rc=$?
status=0
if [ "$expected_rc" = "nonzero" ]; then
  [ "$rc" -ne 0 ] || { echo "FAIL: expected a non-zero exit, got 0"; status=1; }
else
  [ "$rc" -eq "$expected_rc" ] || { echo "FAIL: expected exit $expected_rc, got $rc"; status=1; }
fi
if ! grep -Eq -- "$regex" <<<"$output"; then
  echo "FAIL: output does not match /$regex/"; status=1
fi
if [ -n "$absent" ] && [ -e "$absent" ]; then
  echo "FAIL: $absent exists but should not"; status=1
fi
if [ $status -ne 0 ]; then
  echo "--- command: $*"; echo "--- output:"; echo "$output"
fi
exit $status
