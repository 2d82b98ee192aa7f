#!/usr/bin/python3
"""fsync cost of the recorder's write pattern: one fragment (about 1 s of a 600 kbit/s camera, 75 KB) appended and
handed to the OS per second, with and without an fsync after each. Reports the time per fragment and the CPU
(utime+stime) per fragment. Usage: fsync_cost.py [FOLDER] [FRAGMENTS] [FRAGMENT_BYTES]"""
import os, sys, time, tempfile

folder = sys.argv[1] if len(sys.argv) > 1 else tempfile.gettempdir()
count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
size = int(sys.argv[3]) if len(sys.argv) > 3 else 75_000
data = os.urandom(size)
for sync in (False, True):
    path = os.path.join(folder, f"fsync_cost_{os.getpid()}.mp4")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    cpu0, t0, worst = os.times(), time.perf_counter(), 0.0
    for _ in range(count):
        s = time.perf_counter()
        os.write(fd, data)
        if sync:
            os.fsync(fd)
        worst = max(worst, time.perf_counter() - s)
    t1, cpu1 = time.perf_counter(), os.times()
    os.close(fd)
    os.unlink(path)
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    print(f"fsync={'every fragment' if sync else 'never       '}: {1000*(t1-t0)/count:7.3f} ms/fragment wall, "
          f"worst {1000*worst:7.2f} ms, {1000*cpu/count:6.3f} ms CPU/fragment")
