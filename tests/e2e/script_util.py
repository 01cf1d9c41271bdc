"""script_util.py: what the small end-to-end test scripts share (cli.py, static.py,
install.py): running a command with its output captured, failing with one line, and a fresh
work directory."""
import os
import shutil
import subprocess
import sys


def run(argv, timeout=120, **kw):
    """Runs argv; returns (status, stdout, stderr), bytes unless text=True is given."""
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, **kw)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    """Ends the test with "FAIL: what" unless cond holds."""
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)


def fresh_workdir(path):
    """path, absolute, emptied and created."""
    work = os.path.abspath(path)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return work
