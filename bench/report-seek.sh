#!/usr/bin/env bash
# Benchmark: is Get-MlfMemoryReport's Core as fast on a ~1 GiB .tar as on a ~40 KiB one?
# Builds bench/ReportSeek (Release) and runs it; extra arguments go to the program:
#   --dir FOLDER      write (and keep) the two archives there instead of a temporary folder
#   --repetitions N   timed runs per archive (default 21; 3 warm-up runs come first)
# Not a test: nothing in MlfTools.sln or CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run -c Release --project bench/ReportSeek -- "$@"
