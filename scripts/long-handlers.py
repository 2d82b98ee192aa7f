#!/usr/bin/env python3
"""Lists endpoint handlers (methods returning IResult / Task<IResult> / Results<...>, and lambdas passed to
app.MapGet/MapPost/...) under src/LightNvr/Api/ that are longer than the limit (default 30 lines, signature to closing
brace). Usage: scripts/long-handlers.py [max_lines]. Prints one line per long handler, then the count."""
import os, re, sys

MAX = int(sys.argv[1]) if len(sys.argv) > 1 else 30
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "LightNvr", "Api")
METHOD = re.compile(r'^\s*(public|private|internal)\s+(static\s+)?(async\s+)?[\w<>,\s?]*\b(IResult|Results<[^(]*>)\b[^=(]*\s(\w+)\s*\(')
LAMBDA = re.compile(r'\.Map(Get|Post|Put|Delete|Patch|Methods)\(.*=>\s*$|\.Map(Get|Post|Put|Delete|Patch|Methods)\(.*=>\s*\{')

def block_end(lines, start):
    """Index of the line that closes the first '{' at or after start (or the ';' of an expression body)."""
    depth, opened = 0, False
    for i in range(start, len(lines)):
        code = re.sub(r'"(\\.|[^"\\])*"|//.*', '', lines[i])
        if not opened and '=>' in code and '{' not in code and code.rstrip().endswith(';'):
            return i
        for c in code:
            if c == '{':
                depth += 1; opened = True
            elif c == '}':
                depth -= 1
                if opened and depth == 0:
                    return i
    return len(lines) - 1

found = []
for dirpath, _, files in os.walk(ROOT):
    for name in sorted(files):
        if not name.endswith(".cs"):
            continue
        path = os.path.join(dirpath, name)
        lines = open(path, encoding="utf-8").read().split("\n")
        for i, line in enumerate(lines):
            m = METHOD.match(line)
            label = m.group(5) if m else ("lambda" if LAMBDA.search(line) else None)
            if label is None:
                continue
            n = block_end(lines, i) - i + 1
            if n > MAX:
                found.append((n, os.path.relpath(path, os.path.join(ROOT, "..", "..", "..")), i + 1, label))
for n, path, line, label in sorted(found, reverse=True):
    print(f"{n:4} {path}:{line} {label}")
print(f"{len(found)} handlers over {MAX} lines")
