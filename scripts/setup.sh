#!/usr/bin/env bash
# Installs what chainsim needs from Debian 12's packages, and nothing else.
#
#   scripts/setup.sh demo   compiler, CMake and the libraries the program links
#   scripts/setup.sh python demo, plus what the Python module needs (scripts/python.sh)
#   scripts/setup.sh test   demo and python, plus what the test suite and benchmarks need
#
# Runs as root without prompts (apt-get, no sudo). Quick when all is there:
# it asks dpkg which packages are missing and only then runs apt-get.
set -euo pipefail

profile="${1:-demo}"

demo_packages=(
  g++ make cmake
  libboost-dev            # Boost headers: Math, Graph, Random
  libyaml-cpp-dev         # scenario files
  libeigen3-dev           # response surfaces
  libfmt-dev              # formatting
  nlohmann-json3-dev      # summary.json
  libcli11-dev            # command line
  librandom123-dev        # Philox counter-based random streams
)
python_packages=(
  python3-dev             # the Python module (python/, docs/python.md): Python's headers
  pybind11-dev            # ... its bindings
  python3-numpy           # ... results as NumPy arrays
)
test_packages=(
  python3-pytest          # the Python module's tests
  doctest-dev             # unit, integration and validation tests
  clang                   # the sanitizer pass builds with Clang (scripts/test.sh)
  libclang-rt-14-dev      # ... and links its AddressSanitizer and UBSan runtimes
  libbenchmark-dev        # chainsim_bench
  valgrind                # scripts/profile.sh: instructions per simulated period (callgrind)
  time                    # scripts/bench_customers.sh: a whole run's peak memory
  python3                 # golden-file and report checks
  python3-jsonschema      # an independent check of scenarios against the JSON Schema
  python3-yaml
  chromium                # the report's browser test (headless)
  python3-websocket       # drives chromium over the DevTools protocol
  libboost-mpi-dev        # chainsim-mpi: sweeps across MPI ranks (Boost.MPI)
  libopenmpi-dev          # ... over Open MPI
  openmpi-bin             # mpirun, for the MPI test
  python3-matplotlib      # scripts/plot_sweep.py
  python3-pandas
)

case "$profile" in
  demo) wanted=("${demo_packages[@]}") ;;
  python) wanted=("${demo_packages[@]}" "${python_packages[@]}") ;;
  test) wanted=("${demo_packages[@]}" "${python_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: scripts/setup.sh [demo|python|test]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing Debian packages: ${missing[*]}" >&2
  echo "setup: run as root, or install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
