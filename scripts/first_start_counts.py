#!/usr/bin/env python3
"""How long a first start takes to know every issue's article count: start the reader on
ARCHIVE with a fresh HOME (no caches) in a 120x40 pseudo-terminal, and print the ms from
the spawn until the counts cache (issues.json, written once every issue is counted) appears.
The search cache is built beside it, as on any first start.

    scripts/first_start_counts.py target/release/dubao ARCHIVE [RUNS]
"""
import glob, os, shutil, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptyrun import pump, spawn, stop  # noqa: E402

binary, archive = sys.argv[1], sys.argv[2]
for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 3):
    home = tempfile.mkdtemp(prefix="dubao-counts-")
    env = dict(os.environ, HOME=home, TERM="xterm-256color", LANG="C.UTF-8")
    t0 = time.monotonic()
    pid, fd = spawn([binary, archive], env)
    counted = lambda: bool(glob.glob(f"{home}/.cache/dubao/search/*/issues.json"))  # noqa: E731
    done = (time.monotonic() - t0) * 1000 if pump(fd, 30, until=counted) else None
    stop(pid, fd)
    shutil.rmtree(home, ignore_errors=True)
    print(f"all counts written after {done:.0f} ms" if done else "counts not written in 30 s")
