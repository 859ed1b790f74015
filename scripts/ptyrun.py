"""Run a program in a pseudo-terminal for the measurement scripts beside this file: start it
at a given size, read what it writes (answering the cursor-position query the reader asks at
start-up, so it never waits for a terminal), and stop it."""
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
    while time.monotonic() < end:
        if until is not None and until():
            return True
        r, _, _ = select.select([fd], [], [], 0.005)
        if r:
            try:
                d = os.read(fd, 65536)
            except OSError:
                return False
            if b"\x1b[6n" in d:
                os.write(fd, b"\x1b[1;1R")
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
