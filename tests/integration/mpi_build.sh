#!/usr/bin/env bash
# Builds caresim a second time with CARESIM_WITH_MPI into BIN (only the caresim target, so the
# extra CI time is one compile of the program). Usage: mpi_build.sh SOURCE_DIR BIN
set -euo pipefail
src=$1 bin=$2
cmake -S "$src" -B "$bin" -DCMAKE_BUILD_TYPE=Release -DCARESIM_WERROR=ON -DCARESIM_WITH_MPI=ON > "$bin.log" 2>&1 ||
  { cat "$bin.log"; exit 1; }
cmake --build "$bin" --target caresim -j "$(nproc)" >> "$bin.log" 2>&1 || { tail -40 "$bin.log"; exit 1; }
echo "MPI build: $bin/caresim"
