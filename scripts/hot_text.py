#!/usr/bin/env python3
"""Write scripts/hot-text.ld: the functions a reading session runs, to be laid out together.

Why: the kernel maps a binary's code 64 KB around every page a run touches, so code that
runs is resident with whatever happens to sit next to it. In a fat-LTO build the ~1.1 MB a
session runs is spread over all 2.9 MB of text, and nearly all of it ends up resident.
build.rs gives the linker this script for the `dubao` binary (release builds on Linux);
it gathers the listed functions into one output section, `.text.hot`, placed before
`.init` (which every start runs too) and `.text`, and the rest of the code is only read
from disk when it is used.

How: run the reader under valgrind's callgrind in a pseudo-terminal for three sessions — a
first start on a generated two-paper archive with a tour of the keys (reading, next/previous
issue, next unread, date prompt, pages, publications, by-date view, find, archive search,
bookmarks, help), a later start on the same archive, and the bundled sample issues — and
list every function that ran, in the order the sessions ran them (a later start's first).

The names are written without what changes from one build to the next (legacy mangling's
`17h<hash>E`, v0 mangling's crate disambiguators), as linker-script globs, so a dependency
update or a new compiler still finds them. A function renamed or new since the last run
is simply laid out with the rest: a stale list costs memory, never correctness. Re-run
after larger changes and compare `scripts/rss_breakdown.py` before and after:

    cargo build --release --bin dubao --example gen_archive
    scripts/hot_text.py                 # ~3 minutes; needs valgrind
    scripts/hot_text.py --check         # how much of what ran is outside .text.hot

Linux only (pty, callgrind, nm, readelf).
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptyrun import pump, spawn  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "scripts", "hot-text.ld")

# Keys of the first-start tour, each followed by a pause (valgrind runs ~50x slower); a
# search waits longer for its results.
TOUR = ["j", "j", " ", " ", "\t", "j", "\t", "]", "]", "[", "u", "u", ":", "-7", "\r",
        ":", "2026-11-01", "\r", "P", "j", "\r", "}", "{", "D", "j", "D", "c",
        "/", "报", "\r", "n", "\x1b", "b", "B", "\x1b", "m", "M",
        "S", "市", ("\r", 20), "j", "\r", "\x1b", "?", "\x1b", "!", "\x1b", "G", "g"]
LATER = ["j", "]", " ", "["]
SAMPLES = ["j", " ", "\t", "j", "\t", "]"]


def callgrind(out, argv, home, keys, settle):
    env = dict(os.environ, HOME=home, TERM="xterm-256color")
    cmd = [shutil.which("valgrind"), "--tool=callgrind", "--demangle=no",
           f"--callgrind-out-file={out}"]
    pid, fd = spawn(cmd + argv, env=env)
    pump(fd, settle)
    for k in keys:
        k, pause = k if isinstance(k, tuple) else (k, 2.0)
        os.write(fd, k.encode())
        pump(fd, pause)
    # Esc closes whatever prompt or overlay a slow key left open; then q. The profile is
    # written as the program ends (the pty reports EIO a moment before it can be reaped).
    for _ in range(3):
        os.write(fd, b"\x1b")
        pump(fd, 2.0)
        os.write(fd, b"q")
        pump(fd, 40)
        for _ in range(400):
            if os.waitpid(pid, os.WNOHANG) != (0, 0):
                os.close(fd)
                return
            time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.exit(f"hot_text: {' '.join(argv)} did not quit")


def ran(out):
    """Function names in a callgrind profile, in the order they first appear."""
    names, seen = [], set()
    for line in open(out, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\)\s*(\S+)", line)
        if m and m[1] not in seen:
            seen.add(m[1])
            names.append(m[1])
    return names


def code_symbols(binary):
    """{name: (address, size)} of the binary's functions (needs its symbol table)."""
    nm = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True,
                        text=True, check=True).stdout
    syms = {}
    for line in nm.splitlines():
        p = line.split()
        if len(p) == 4 and p[2] in "tTwW":
            syms[p[3]] = (int(p[0], 16), int(p[1], 16))
    return syms


def pattern(name):
    """A glob for `name` in every build: no legacy hash; no v0 crate disambiguator
    (`Cs<hash>_`) nor back-reference (`B<offset>_`, which moves when a disambiguator's
    length does); no numbered suffix of a local copy LTO made (`.812`, `.llvm.1234`)."""
    p = re.sub(r"17h[0-9a-f]{16}E(\.llvm)?(\.\d+)?$", "17h*", name)
    p = re.sub(r"(\.llvm)?\.\d+$", "*", p)
    p = re.sub(r"Cs[0-9A-Za-z]+_", "Cs*_", p)
    return re.sub(r"B[0-9A-Za-z]{0,3}_", "B*_", p)


def sessions(binary, archive, work):
    home = os.path.join(work, "home")
    os.makedirs(home)
    outs = [os.path.join(work, f"{n}.out") for n in ("first", "later", "samples")]
    print("first start on the archive, with the tour of keys ...", flush=True)
    callgrind(outs[0], [binary, archive], home, TOUR, 60)
    print("later start (the place, the counts and the search cache kept) ...", flush=True)
    callgrind(outs[1], [binary, archive], home, LATER, 30)
    print("the bundled sample issues ...", flush=True)
    samples_home = os.path.join(work, "home-samples")
    os.makedirs(samples_home)
    callgrind(outs[2], [binary], samples_home, SAMPLES, 20)
    return outs[1], outs[0], outs[2]


def hot_section(binary):
    sec = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True,
                         check=True).stdout
    m = re.search(r"\.text\.hot\s+PROGBITS\s+([0-9a-f]+) [0-9a-f]+ ([0-9a-f]+)", sec)
    return (int(m[1], 16), int(m[1], 16) + int(m[2], 16)) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/dubao"))
    ap.add_argument("--gen", default=os.path.join(ROOT, "target/release/examples/gen_archive"))
    ap.add_argument("--check", action="store_true",
                    help="do not write: run the sessions on --binary and say how much of "
                         "the code that ran is outside its .text.hot")
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("hot_text: needs valgrind (apt-get install valgrind)")
    work = tempfile.mkdtemp(prefix="dubao-hot-")
    try:
        archive = os.path.join(work, "archive")
        for paper, seed in (("大同日报", "11"), ("云州晚报", "12")):
            subprocess.run([args.gen, archive, "--issues", "200", "--pages", "4",
                            "--publication", paper, "--seed", seed],
                           check=True, capture_output=True)
        profiles = sessions(args.binary, archive, work)
        syms = code_symbols(args.binary)
        order, seen = [], set()
        for out in profiles:
            for n in ran(out):
                if n in syms and n not in seen:
                    seen.add(n)
                    order.append(n)
        ran_bytes = sum(syms[n][1] for n in order)
        if args.check:
            hot = hot_section(args.binary)
            if hot is None:
                sys.exit(f"{args.binary} has no .text.hot section")
            out = [n for n in order if not hot[0] <= syms[n][0] < hot[1]]
            out_bytes = sum(syms[n][1] for n in out)
            print(f"ran {len(order)} functions, {ran_bytes / 1024:.0f} KB; .text.hot "
                  f"{(hot[1] - hot[0]) / 1024:.0f} KB; outside it: {len(out)} functions, "
                  f"{out_bytes / 1024:.0f} KB")
            for n in sorted(out, key=lambda n: -syms[n][1])[:20]:
                print(f"  {syms[n][1]:6d}  {n}")
            return
        pats = []
        for n in order:
            p = pattern(n)
            if p not in pats:
                pats.append(p)
        with open(OUT, "w") as f:
            f.write("/* The functions a reading session runs, laid out together so that the\n"
                    "   code a run touches is resident and the rest stays on disk. Written by\n"
                    "   scripts/hot_text.py (see there); build.rs passes it to the linker for\n"
                    "   the `dubao` binary. Each line also catches the cold-marked copy\n"
                    "   (.text.unlikely.) of the same function. */\n")
            f.write("SECTIONS {\n  .text.hot : {\n")
            # Backwards: a later start's functions end the section, beside the C runtime's
            # start-up code (named by file: its sections are plain `.text`) and .init, which
            # every start runs too.
            for p in reversed(pats):
                f.write(f"    *(.text.{p} .text.unlikely.{p})\n")
            f.write("    *crt1.o(.text .text.*)\n    *crtbegin*.o(.text .text.*)\n")
            f.write("  }\n}\nINSERT BEFORE .init;\n")
        print(f"{OUT}: {len(pats)} patterns for {len(order)} functions, "
              f"{ran_bytes / 1024:.0f} KB of code that ran")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
