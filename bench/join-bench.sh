#!/usr/bin/env bash
# Benchmark: Join-MlfArchive's Core against the floor (a plain copy of the same bytes), a Python tarfile merge and
# GNU tar extract + create, on generated archives in TVM's layout; then gzip output and the memory report.
# Builds bench/JoinBench (Release) and runs it; extra arguments go to the program:
#   --sizes 1M,100M,1G      totals of the two input archives together (default 1M,100M,1G)
#   --repetitions N         timed runs per contender and cache mode (default 5; one warm-up round first)
#   --cache warm|cold|both  page cache kept warm, dropped before every run (needs root), or both (default)
#   --gzip-repetitions N    timed runs per gzip compressor (default 3)
#   --gzip-from SIZE        compare gzip on the joined .tar of sizes from this one up (default 100M)
#   --report-repetitions N  timed memory reports per archive (default 21)
#   --dir FOLDER            write (and keep) the archives there instead of a temporary folder; inputs are reused
#   --keep                  keep the temporary folder
#   --markdown FILE         also write the tables as Markdown
# Needs python3, GNU tar, gzip, and ideally /usr/bin/time (peak RSS). About 3 GiB of free disk for the 1G size.
# Not a test: nothing in MlfTools.sln or CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release bench/JoinBench --nologo -v quiet -clp:ErrorsOnly
exec bench/JoinBench/bin/Release/net10.0/JoinBench "$@"
