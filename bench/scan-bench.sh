#!/usr/bin/env bash
# Benchmark: does reading scale linearly? metadata.json with 2,000 against 20,000 modules, and the symbol scan of a
# C source of 8 MiB against 128 MiB inside a .tgz, in one process; prints time and peak heap ratios.
# Arguments go to the program: SAMPLE.tar (default ../shared/mlf-samples/v7-aot-crt-mlp.tar), --modules N, --c-mib M.
# Needs GNU tar and gzip, and about 300 MiB of free disk. Not a test: nothing in MlfTools.sln or CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release bench/ScanBench --nologo -v quiet -clp:ErrorsOnly
exec bench/ScanBench/bin/Release/net10.0/ScanBench "$@"
