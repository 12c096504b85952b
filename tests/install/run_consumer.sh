#!/usr/bin/env bash
# Install the built library into a temporary prefix, then configure, build and run tests/install/consumer against
# it with find_package(libcoverage CONFIG), as another project would.
# Usage: run_consumer.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" --component Unspecified >/dev/null
test -f "$work/prefix/lib/cmake/libcoverage/libcoverageConfig.cmake" || { echo "no libcoverageConfig.cmake installed" >&2; exit 1; }
test -f "$work/prefix/include/coverage/core/version.hpp" || { echo "version.hpp not installed" >&2; exit 1; }
cmake -S "$source_dir/tests/install/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" -j 2 >/dev/null
"$work/build/consumer"
