#!/usr/bin/env bash
# The archive fuzzer (ArchiveFuzzTests) for a long run: bash tests/fuzz.sh [iterations] [seed] [first-iteration]
# Defaults: 20000 mutants from seed 20240611. The CI test runs the same code with 300 mutants.
# A failing mutant is reported with the seed and iteration that replay it; set MLFTOOLS_FUZZ_SAVE=<folder> to keep
# failing mutants as files, MLFTOOLS_FUZZ_TIMEOUT_SECONDS to change how long one mutant may take (default 30).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MLFTOOLS_FUZZ_ITERATIONS="${1:-20000}"
export MLFTOOLS_FUZZ_SEED="${2:-20240611}"
export MLFTOOLS_FUZZ_FIRST="${3:-0}"
echo "fuzzing $MLFTOOLS_FUZZ_ITERATIONS mutants from seed $MLFTOOLS_FUZZ_SEED, first iteration $MLFTOOLS_FUZZ_FIRST"
start=$(date +%s)
status=0
dotnet test "$root/tests/MlfTools.Tests" -c Release \
  --filter "FullyQualifiedName~MlfTools.Tests.Safety.ArchiveFuzzTests" \
  --logger "console;verbosity=detailed" || status=$?
echo "took $(( $(date +%s) - start )) s"
exit $status
