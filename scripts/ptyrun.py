"""Run a program in a pseudo-terminal for the measurement scripts beside this file: start it
at a given size, read what it writes (answering the start-up probe's cursor-position and
device-attributes queries as a terminal does — without the device attributes the reader
waits 1.5 s for them before it starts its background work), and stop it."""
import fcntl, os, pty, select, struct, termios, time


def spawn(argv, env=None, cols=120, rows=40):
    """Start `argv` in a new pty of `cols` x `rows`; returns (pid, fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        if env is None:
            os.execvp(argv[0], argv)
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


def pump(fd, seconds, until=None):
    """Read the program's output for up to `seconds`, or until `until()` is true."""
    end = time.monotonic() + seconds
    tail = b""  # the end of the last read: a query may be split across two
    while time.monotonic() < end:
        if until is not None and until():
            return True
        r, _, _ = select.select([fd], [], [], 0.005)
        if r:
            try:
                d = os.read(fd, 65536)
            except OSError:
                return False
            # The probe prints `平“` at the top-left corner first: a terminal that draws
            # `“` narrow puts the cursor at column 4. The device attributes come last.
            seen, skip, tail = tail + d, len(tail), (tail + d)[-3:]
            for query, answer in ((b"\x1b[6n", b"\x1b[1;4R"), (b"\x1b[c", b"\x1b[?62;22c")):
                # Only a query that ends in this read: one inside the tail was answered.
                if seen.find(query, max(0, skip - len(query) + 1)) >= 0:
                    os.write(fd, answer)
    return until is not None and until()


def stop(pid, fd):
    """`q`, then kill what is left."""
    try:
        os.write(fd, b"q")
    except OSError:
        pass
    time.sleep(0.3)
    try:
        os.kill(pid, 9)
    except OSError:
        pass
