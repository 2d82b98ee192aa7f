#!/usr/bin/env python3
"""Cost of the recordings list queries (RecordingStore.ListAsync) on 1 M rows, 16 streams, one row a minute each.

Builds /tmp/lightnvr-recordings-bench.db from the project's own DDL (SchemaTables.cs, M0003/M0004 indexes) and
prints the best of 7 runs per query in ms. Usage: python3 bench/recordings-query-cost.py
"""
import os, re, sqlite3, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIG = os.path.join(ROOT, "src/LightNvr/Data/Migrations")
PATH = "/tmp/lightnvr-recordings-bench.db"

for suffix in ("", "-wal", "-shm"):
    if os.path.exists(PATH + suffix):
        os.remove(PATH + suffix)
db = sqlite3.connect(PATH)
db.execute("PRAGMA journal_mode=WAL")
for name, sql in re.findall(r'\("(\w+)", """\n(.*?)"""\)', open(os.path.join(MIG, "SchemaTables.cs")).read(), re.S):
    db.execute(sql.replace("{0}", name))
for f in ("M0003Indexes.cs", "M0004CompleteStartIndex.cs"):
    for ddl in re.findall(r"(CREATE INDEX IF NOT EXISTS[^;\"]+)", open(os.path.join(MIG, f)).read()):
        db.execute(ddl)
t0 = 1_700_000_000
db.executemany(
    "INSERT INTO recordings (stream_name, file_path, start_time, end_time, size_bytes, is_complete) VALUES (?,?,?,?,?,?)",
    ((f"cam{i % 16}", f"/rec/{i}.mp4", t0 + (i // 16) * 60, t0 + (i // 16) * 60 + 60, 1_000_000, 1 if i % 1000 else 0)
     for i in range(1_000_000)))
db.commit()
db.execute("ANALYZE")

def best(sql, args=()):
    runs = []
    for _ in range(7):
        a = time.perf_counter()
        db.execute(sql, args).fetchall()
        runs.append(time.perf_counter() - a)
    return round(min(runs) * 1000, 2)

win = (t0 + 1_000_000, t0 + 2_000_000)
S = "WHERE is_complete = 1 AND stream_name = ? AND start_time >= ? AND start_time <= ?"
A = "WHERE is_complete = 1 AND start_time >= ? AND start_time <= ?"
PAGE = " ORDER BY start_time DESC, id DESC LIMIT 20"
for label, sql, args in [
    ("stream + window: count", "SELECT COUNT(*) FROM recordings " + S, ("cam3",) + win),
    ("stream + window: page", "SELECT * FROM recordings " + S + PAGE, ("cam3",) + win),
    ("stream: count", "SELECT COUNT(*) FROM recordings WHERE is_complete = 1 AND stream_name = ?", ("cam3",)),
    ("all + window: count", "SELECT COUNT(*) FROM recordings " + A, win),
    ("all + window: page", "SELECT * FROM recordings " + A + PAGE, win),
    ("all: count", "SELECT COUNT(*) FROM recordings WHERE is_complete = 1", ()),
    ("all: page", "SELECT * FROM recordings WHERE is_complete = 1" + PAGE, ()),
]:
    print(f"{label:24} {best(sql, args):8.2f} ms")
