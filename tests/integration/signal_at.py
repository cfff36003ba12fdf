#!/usr/bin/env python3
"""Starts a command and sends it a signal at a chosen moment of its life, then prints its exit
status as the shell reports it (128 + signal number when the signal killed it).

usage: signal_at.py SIG WHEN [STDERR_FILE] -- COMMAND...
WHEN: open:TEXT     as soon as the process holds an open file whose path contains TEXT
      exists:PATH   as soon as PATH exists
      after:SECONDS after a fixed delay
      stderr:REGEX  as soon as what the process wrote to stderr matches REGEX
The process's stderr is saved to STDERR_FILE (default: discarded).
The poll runs in a tight loop, so moments of a few milliseconds (a table being read, the output
file being created) are caught."""
import os
import re
import signal
import subprocess
import sys
import time


def holds(pid, text):
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if text in os.readlink(f"/proc/{pid}/fd/{fd}"):
                    return True
            except OSError:
                pass
    except OSError:
        pass
    return False


def main():
    sig = getattr(signal, "SIG" + sys.argv[1])
    when = sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    save = sys.argv[3] if sys.argv[3] != "--" else None
    kind, _, arg = when.partition(":")
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.set_blocking(p.stderr.fileno(), False)
    err = b""
    deadline = time.monotonic() + 60
    sent = False
    start = time.monotonic()
    while p.poll() is None and time.monotonic() < deadline:
        err += p.stderr.read() or b""
        hit = ((kind == "open" and holds(p.pid, arg)) or (kind == "exists" and os.path.exists(arg))
               or (kind == "after" and time.monotonic() - start >= float(arg))
               or (kind == "stderr" and re.search(arg.encode(), err) is not None))
        if hit:
            p.send_signal(sig)
            sent = True
            break
    rc = p.wait()
    os.set_blocking(p.stderr.fileno(), True)
    err += p.stderr.read() or b""
    if save:
        with open(save, "wb") as f:
            f.write(err)
    print(128 - rc if rc < 0 else rc, "sent" if sent else "not-sent")


main()
