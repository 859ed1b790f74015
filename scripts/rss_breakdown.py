#!/usr/bin/env python3
"""Where a running reader's memory is: start a command in a 120x40 pseudo-terminal, wait T
seconds (env T, default 6: after a later start's cache pass), then print VmHWM and the
resident kilobytes of each mapping class from /proc/PID/smaps (the binary, [heap], libc,
libm, anonymous mappings = other threads' arenas and large allocations, stacks).

    HOME=/path/to/kept/home scripts/rss_breakdown.py target/release/dubao ARCHIVE
    DETAIL=1 ...   # also the largest mappings one by one

Answers the start-up probe's queries (ptyrun.py) so the reader does not wait for them. Linux only.
"""
import collections, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptyrun import pump, spawn, stop  # noqa: E402

T = float(os.environ.get("T", "6"))
pid, fd = spawn(sys.argv[1:])
pump(fd, T)
classes, detail, cur = collections.Counter(), [], None
for line in open(f"/proc/{pid}/smaps"):
    m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$", line)
    if m:
        size = (int(m[2], 16) - int(m[1], 16)) // 1024
        name = m[4].strip()
        if not name:
            kind = "anon (thread arenas, big blocks)" if size < 2000 else "anon (stacks, arena reserve)"
        elif name.startswith("["):
            kind = name
        else:
            kind = os.path.basename(name)
        cur = (kind, m[3], size)
    elif line.startswith("Rss:") and cur:
        kb = int(line.split()[1])
        classes[cur[0]] += kb
        if kb:
            detail.append((kb, cur))
status = [l.split() for l in open(f"/proc/{pid}/status") if l.startswith(("VmHWM", "VmRSS"))]
stop(pid, fd)
print(" ".join(f"{k} {v} kB" for k, v, _ in status))
for kind, kb in classes.most_common():
    if kb:
        print(f"  {kb:7d} kB  {kind}")
if os.environ.get("DETAIL"):
    for kb, c in sorted(detail, reverse=True)[:30]:
        print("   ", kb, c)
