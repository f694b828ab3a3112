#!/usr/bin/env python3
# Run a command; print its wall time and peak resident memory (max RSS of
# the child, from getrusage) as one line: "<label>: 1.23 s, 45.6 MiB".
import os, resource, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
with open(os.devnull, "wb") as null:
    rc = subprocess.call(cmd, stdout=null)
dt = time.monotonic() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print(f"{label}: {dt:.2f} s, peak {rss:.1f} MiB" + ("" if rc == 0 else f" (exit {rc})"))
sys.exit(rc)
