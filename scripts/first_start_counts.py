#!/usr/bin/env python3
"""How long a first start takes to know every issue's article count: start the reader on
ARCHIVE with a fresh HOME (no caches) in a 120x40 pseudo-terminal, and print the ms from
the spawn until the counts cache (issues.json, written once every issue is counted) appears.
The search cache is built beside it, as on any first start.

    scripts/first_start_counts.py target/release/dubao ARCHIVE [RUNS]
"""
import fcntl, glob, os, pty, select, shutil, struct, sys, tempfile, termios, time

binary, archive = sys.argv[1], sys.argv[2]
for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 3):
    home = tempfile.mkdtemp(prefix="dubao-counts-")
    env = dict(os.environ, HOME=home, TERM="xterm-256color", LANG="C.UTF-8")
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(binary, [binary, archive], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    done = None
    while time.monotonic() - t0 < 30:
        r, _, _ = select.select([fd], [], [], 0.005)
        if r:
            try:
                d = os.read(fd, 65536)
            except OSError:
                break
            if b"\x1b[6n" in d:
                os.write(fd, b"\x1b[1;1R")
        if glob.glob(f"{home}/.cache/dubao/search/*/issues.json"):
            done = (time.monotonic() - t0) * 1000
            break
    os.write(fd, b"q")
    time.sleep(0.3)
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    shutil.rmtree(home, ignore_errors=True)
    print(f"all counts written after {done:.0f} ms" if done else "counts not written in 30 s")
