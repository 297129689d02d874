#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets from the examples, the docs and the
unit tests' literals into <out>/<target>/ (one file per seed, named by SHA-1).

scripts/fuzz.sh does not need this: the minimised corpora it replays are kept in
tests/fuzz/corpus/. Re-run it (then `-merge=1` into the corpus, docs/FUZZING.md)
when the input formats grow.   Usage: make_seeds.py <repo> <out>
"""
import gzip
import hashlib
import json
import zlib
import os
import re
import sys

repo, out = sys.argv[1], sys.argv[2]


def read(path):
    with open(os.path.join(repo, path), encoding="utf-8") as f:
        return f.read()


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def raw_strings(path):
    """Adjacent C++ raw string literals R"(...)" joined, as the compiler would."""
    text = read(path)
    pieces = []
    for m in re.finditer(r'((?:R"([A-Za-z]*)\((?:.|\n)*?\)\2"\s*)+)', text):
        joined = "".join(re.findall(r'R"[A-Za-z]*\(((?:.|\n)*?)\)[A-Za-z]*"', m.group(1)))
        pieces.append(joined)
    return pieces


# ---- Segment messages and records ----
events = read("examples/events.ndjson").splitlines()
records = read("examples/records.ndjson").splitlines()
by_kind = {}
for line in events + records:
    msg = json.loads(line)
    kind = msg["type"] + ":" + str(msg.get("event", ""))
    by_kind.setdefault(kind, line)
messages = list(by_kind.values())
for path in ("tests/input/parser_test.cc", "tests/input/attributor_test.cc"):
    messages += [s for s in raw_strings(path) if s.lstrip().startswith("{")]
for m in re.finditer(r"-d '(\{.*?\})'", read("docs/API.md"), re.S):
    body = m.group(1)
    try:
        obj = json.loads(body)
    except ValueError:
        continue
    for msg in obj.get("batch", [obj]):
        messages.append(json.dumps(msg))
for m in messages:
    write("fuzz_segment", m)

write("fuzz_records", "\n".join(records) + "\n")
for line in records:
    write("fuzz_records", line)
for m in messages:
    if '"type"' in m and not any(t in m for t in ('"track"', '"page"', '"screen"', '"identify"', '"alias"')):
        write("fuzz_records", m)
write("fuzz_records", "\n".join(events[:40]) + "\n")

# ---- config ----
write("fuzz_config", read("examples/headroom.yaml"))
spec = read("/work/shared/SPEC.md") if os.path.exists("/work/shared/SPEC.md") else ""
for m in re.finditer(r"```yaml\n(.*?)```", spec + read("docs/CONFIG.md"), re.S):
    write("fuzz_config", m.group(1))
for path in sorted(os.listdir(os.path.join(repo, "tests/config"))):
    if path.endswith(".cc"):
        for s in raw_strings("tests/config/" + path):
            if ":" in s:
                write("fuzz_config", s)

# ---- HTTP ingest: flag byte + body (tests/fuzz/fuzz_http_ingest.cc) ----
NONE, GZIP_HERE, GZIP_RAW, ENC_LINE = 0, 1, 2, 3
BATCH, TRACK, RECORDS, IDENTIFY = 0 << 2, 1 << 2, 2 << 2, 3 << 2
NO_AUTH, AUTH_OK, AUTH_LINE = 0 << 4, 1 << 4, 2 << 4


def http(flags, body):
    write("fuzz_http_ingest", bytes([flags]) + (body if isinstance(body, bytes) else body.encode()))


batch = {"sentAt": "2026-03-01T12:00:01Z", "batch": [json.loads(l) for l in events[:12]]}
http(BATCH | AUTH_OK, json.dumps(batch))
http(BATCH | AUTH_OK | GZIP_HERE, json.dumps(batch))
http(BATCH | GZIP_RAW, gzip.compress(json.dumps(dict(batch, writeKey="wk_fuzz")).encode()))
http(BATCH | NO_AUTH, json.dumps(dict(batch, writeKey="wk_fuzz")))
http(BATCH | AUTH_LINE, "d2tfZnV6ejo=\n" + json.dumps(batch))
http(BATCH | AUTH_OK | ENC_LINE, "br\n" + json.dumps(batch))
http(BATCH | AUTH_OK | ENC_LINE, "Identity\n" + json.dumps(batch))
http(BATCH | AUTH_OK | ENC_LINE, b"deflate\n" + zlib.compress(json.dumps(batch).encode()))
# A gzip bomb: 600 KB of spaces inflate past the 500 KB cap.
http(BATCH | AUTH_OK | GZIP_RAW, gzip.compress(b" " * 600 * 1024, 9))
track = json.loads(next(l for l in events if '"track"' in l))
track.pop("type")
http(TRACK | AUTH_OK, json.dumps(track))
track["sentAt"] = "2026-03-01T12:00:05Z"
track["originalTimestamp"] = track.get("timestamp", "2026-03-01T12:00:00Z")
http(TRACK | AUTH_OK, json.dumps(track))
ident = json.loads(next(l for l in events if '"identify"' in l))
http(IDENTIFY | AUTH_OK, json.dumps(ident))
http(RECORDS, "\n".join(records) + "\n")
http(RECORDS, json.dumps([json.loads(l) for l in records]))
http(RECORDS | GZIP_HERE, "\n".join(records[:4]))
