#!/usr/bin/env bash
# libcoverage quick start. Two commands (see README.md):
#   ./build.sh run    install what is missing, build, and run the main job
#   ./build.sh test   install what is missing, build, and run every test
# Also:
#   ./build.sh asan   build and run the C++ and CLI tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   ./build.sh bench  build and run the benchmarks in tests/bench
#   ./build.sh deps   only install the Debian packages
# COVERAGE_PRESET picks the CMake preset for `test` (default: dev; CI uses ci, which adds -Werror).
set -euo pipefail
cd "$(dirname "$0")"

# Debian 12 packages (bookworm; the versions Debian 12 ships work together).
PACKAGES=(build-essential cmake pkg-config libgdal-dev gdal-bin libproj-dev proj-bin libtbb-dev
          libcli11-dev libtomlplusplus-dev libssl-dev libcurl4-openssl-dev zlib1g-dev libpng-dev nlohmann-json3-dev catch2 libbenchmark-dev python3 python3-numpy python3-gdal
          pybind11-dev python3-dev python3-pytest python3-pandas python3-geopandas python3-shapely python3-matplotlib
          python3-tqdm python3-nbclient python3-nbformat python3-ipykernel python3-dask python3-distributed
          libcairo2-dev libpango1.0-dev fonts-noto-core libkainjow-mustache-dev libjs-leaflet libeigen3-dev
          chromium chromium-driver python3-selenium)

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing Debian packages: ${missing[*]}" >&2
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "build.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() { # preset
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
}

case "${1:-}" in
  deps)
    install_deps ;;
  run)
    install_deps
    build release
    # The main job: the Sảng Mộc study (coverage, hamlets, dead-zone priorities, maps, report.html).
    build/release/tools/covtool study data/sang_moc/study.toml -o out/sang_moc
    echo "build.sh: open out/sang_moc/report.html" ;;
  test)
    install_deps
    preset=${COVERAGE_PRESET:-dev}
    build "$preset"
    ctest --preset "$preset" ;;
  asan)
    install_deps
    build asan
    ctest --preset asan ;;
  bench)
    install_deps
    build release-bench
    for b in build/release-bench/tests/bench/bench_*; do "$b"; done
    # the province on a local Dask cluster (issue 7)
    PYTHONPATH=build/release-bench/python /usr/bin/python3 tests/bench/bench_province.py ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2 ;;
esac
