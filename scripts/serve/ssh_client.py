"""Drive real OpenSSH clients against `dubao serve` in pseudo-terminals (no pyte needed).

Each client: `ssh -tt` in a pty, its terminal replies played here (cursor position, device
attributes), keys sent, output timed. Used by scripts/serve_openssh.sh and serve_load.sh.
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

CPR = re.compile(rb"\x1b\[6n")
DA = re.compile(rb"\x1b\[c")
DECRQM = re.compile(rb"\x1b\[\?(\d+)\$p")


class Client:
    def __init__(self, port, key=None, rows=30, cols=100, extra=()):
        args = ["ssh", "-tt", "-p", str(port), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "BatchMode=no"]
        if key:
            args += ["-i", key, "-o", "IdentitiesOnly=yes"]
        else:
            args += ["-o", "PubkeyAuthentication=no"]
        args += list(extra) + ["reader@127.0.0.1"]
        self.rows, self.cols = rows, cols
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp("ssh", args)
        self.pid, self.fd = pid, fd
        self.resize(rows, cols)
        self.out = bytearray()
        self.partial = b""
        self.status = None
        self.frames = []  # (time, bytes) of each read

    def resize(self, rows, cols):
        self.rows, self.cols = rows, cols
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        try:
            os.kill(self.pid, signal.SIGWINCH)
        except ProcessLookupError:
            pass

    def pump(self, timeout=0.05):
        """Read what is there; answer the terminal queries. False once the client is gone."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        self.frames.append((time.monotonic(), len(data)))
        self.out += data
        # A query may be split between two reads: an unfinished escape sequence at the end
        # waits for the next read (an unanswered cursor query stalls the next frame 2 s).
        buf = self.partial + data
        cut = buf.rfind(b"\x1b")
        if cut >= 0 and not re.search(rb"[A-Za-z~]", buf[cut + 1:]):
            buf, self.partial = buf[:cut], buf[cut:]
        else:
            self.partial = b""
        replies = b""
        replies += b"\x1b[%d;%dR" % (self.rows // 2, 3) * len(CPR.findall(buf))
        for m in DECRQM.findall(buf):
            replies += b"\x1b[?%s;2$y" % m
        replies += b"\x1b[?62;22c" * len(DA.findall(buf))
        if replies:
            os.write(self.fd, replies)
        return True

    def wait_for(self, text, timeout=20.0):
        end = time.monotonic() + timeout
        needle = text.encode()
        while time.monotonic() < end:
            if needle in self.out:
                return True
            if not self.pump(0.05):
                return needle in self.out
        return False

    def keys(self, s):
        os.write(self.fd, s.encode())

    def kill(self, sig=signal.SIGKILL):
        os.kill(self.pid, sig)
        _, st = os.waitpid(self.pid, 0)
        self.status = st

    def wait_exit(self, timeout=10.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.05)
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(st)
                return self.status
        return None


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main_openssh(port, key, server_pid, state_dir):
    headline = "云州至北京高铁开通两周年"
    c = Client(port, key)
    ok = c.wait_for(headline)
    print(f"login + first headline: {'ok' if ok else 'FAILED'}")
    if not ok:
        sys.stdout.buffer.write(bytes(c.out[-2000:]))
        return 1
    # Next article, bookmark it (on disk at once), resize.
    for k in "nb":
        c.keys(k)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 0.4:
            c.pump(0.05)
    before = len(c.out)
    c.resize(20, 60)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 1.5:
        c.pump(0.05)
    print(f"resize to 60x20: {len(c.out) - before} bytes redrawn")
    # One more article, and the client is killed as soon as its frame arrives: that place
    # reaches the disk when the session ends (the background saver waits up to 500 ms).
    before = len(c.out)
    c.keys("n")
    while len(c.out) == before:
        c.pump(0.01)
    c.kill()
    killed = time.monotonic()
    # The place (the third article) must be in the state file within 100 ms.
    path = f"{state_dir}/state.json"
    place = None
    while time.monotonic() - killed < 2.0:
        try:
            with open(path) as f:
                last = json.load(f).get("last", {})
            art = last.get("article") or {}
            if art.get("index", 0) >= 2:
                place = time.monotonic() - killed
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.002)
    if place is None:
        print("client killed (SIGKILL): place NOT saved within 2 s")
        return 1
    print(f"client killed (SIGKILL): place saved {place * 1000:.0f} ms later")
    # Again, and quit with q: exit status 0, the terminal given back.
    c = Client(port, key)
    ok = c.wait_for(headline)
    c.keys("q")
    code = c.wait_exit(10)
    restored = b"\x1b[?1049l" in c.out and c.out.rstrip().endswith(b"\x1b[?25h")
    print(f"second login: {'ok' if ok else 'FAILED'}, q -> ssh exit {code}, terminal restored: {restored}")
    return 0 if ok and code == 0 and restored else 1


def main_load(port, n, seconds, server_pid):
    headline = "云州至北京高铁开通两周年"
    base_rss = rss_kb(server_pid)
    clients = []
    for i in range(n):
        clients.append(Client(port, None, rows=24, cols=80))
        time.sleep(0.02)
    started = [c.wait_for(headline, 60) for c in clients]
    errors = started.count(False)
    # The reader starts in the issue list (three sample issues: `j` would stop changing
    # anything after two keys): Tab to the headlines, ten of them on the first page.
    for c in clients:
        c.keys("\t")
    for c in clients:
        for _ in range(5):
            c.pump(0.01)
    cpu0 = cpu_s(server_pid)
    t_start = time.monotonic()
    peak = rss_kb(server_pid)
    # Hold `j` (and `k` back every 8 keys, so the view keeps changing): a key every 33 ms
    # (keyboard auto-repeat), but not before the previous key's frame has come (or 2 s):
    # the time from each key to the first output after it is its key -> frame time.
    sent_at = [None] * n
    last_key = [0.0] * n
    count = [0] * n
    lat = []
    missed = 0
    fds = {c.fd: i for i, c in enumerate(clients)}
    while time.monotonic() - t_start < seconds:
        now = time.monotonic()
        for i, c in enumerate(clients):
            if sent_at[i] is not None and now - sent_at[i] > 2.0:
                missed += 1
                sent_at[i] = None
            if sent_at[i] is None and now - last_key[i] >= 0.033:
                key = "j" if (count[i] // 8) % 2 == 0 else "k"
                try:
                    c.keys(key)
                except OSError:
                    continue
                count[i] += 1
                sent_at[i] = last_key[i] = now
        r, _, _ = select.select(list(fds), [], [], 0.005)
        for fd in r:
            i = fds[fd]
            got = clients[i].pump(0)
            if got and sent_at[i] is not None:
                lat.append(time.monotonic() - sent_at[i])
                sent_at[i] = None
        peak = max(peak, rss_kb(server_pid))
    worst = max(lat) if lat else 0.0
    cpu = cpu_s(server_pid) - cpu0
    wall = time.monotonic() - t_start
    for c in clients:
        c.keys("q")
    codes = [c.wait_exit(15) for c in clients]
    if os.environ.get("DEBUG"):
        for c, code in zip(clients, codes):
            if code != 0:
                print(code, repr(bytes(c.out[-300:])))
    errors += sum(1 for s in codes if s != 0)
    lat.sort()
    p50 = lat[len(lat) // 2] * 1000 if lat else 0
    p99 = lat[int(len(lat) * 0.99)] * 1000 if lat else 0
    print(f"sessions: {n}, keys sent: {sum(count)}, frames timed: {len(lat)}")
    print(f"server RSS: {base_rss} kB idle, {peak} kB peak -> {(peak - base_rss) / n:.0f} kB per session")
    print(f"server CPU: {cpu:.1f} s over {wall:.1f} s = {100 * cpu / wall:.0f}% of one core")
    print(f"key -> next output: median {p50:.0f} ms, p99 {p99:.0f} ms, slowest {worst * 1000:.0f} ms")
    print(f"keys with no output within 2 s: {missed}")
    print(f"exit codes: {sorted(set(codes))}")
    print(f"errors (no headline or exit != 0): {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "openssh":
        sys.exit(main_openssh(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]))
    else:
        sys.exit(main_load(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])))
