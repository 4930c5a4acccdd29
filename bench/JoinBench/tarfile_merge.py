#!/usr/bin/env python3
"""Merge MLF archives with Python's tarfile, the way users script it today.

usage: tarfile_merge.py OUTPUT NAME=INPUT [NAME=INPUT ...]

Each input is opened with tarfile and every member is added to OUTPUT with addfile() under a renamed
path (./NAME/...), so two archives that are both 'default' land in separate folders. Nothing inside the
files is changed (C symbols, graph, metadata.json stay as they were). The output is written with
tarfile's default format (PAX, what TVM writes) and, for a fair comparison with MlfTools' join (which
ends with Flush(true)), fsync'ed once at the end. Prints "ms=<merge time> hwm_kb=<VmHWM>".
"""
import os
import sys
import tarfile
import time


def main():
    output, pairs = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
    start = time.perf_counter()
    with tarfile.open(output, "w") as merged:
        for name, path in pairs:
            with tarfile.open(path) as archive:
                for member in archive:
                    data = archive.extractfile(member) if member.isfile() else None
                    rest = member.name[2:] if member.name.startswith("./") else member.name
                    member.name = f"./{name}" if rest in ("", ".") else f"./{name}/{rest}"
                    merged.addfile(member, data)
    fd = os.open(output, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    elapsed = (time.perf_counter() - start) * 1000
    hwm = next((line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")), "-1")
    print(f"ms={elapsed:.3f} hwm_kb={hwm}")


if __name__ == "__main__":
    main()
