#!/usr/bin/env bash
# Merge MLF archives with GNU tar: extract each input into its own folder, then create one archive.
# usage: gnutar_merge.sh WORKFOLDER OUTPUT NAME=INPUT [NAME=INPUT ...]
# WORKFOLDER must not exist; the caller removes it afterwards (not part of the timed work). The output is
# fsync'ed at the end (sync FILE), as MlfTools' join ends with Flush(true); the extracted files are not.
set -euo pipefail
work=$1 output=$2
shift 2
mkdir "$work"
for pair in "$@"; do
    name=${pair%%=*} input=${pair#*=}
    mkdir "$work/$name"
    tar -xf "$input" -C "$work/$name"
done
tar -cf "$output" -C "$work" .
sync "$output"
