#!/usr/bin/env python3
"""Memory and cold/warm cost per corpus shape, for one or two tlkc binaries in the same run.

    bench/shapes.py [--sizes 250 1000 2000] [--shapes ordinary e-office scans-heavy]
                    [--before BIN] [--after BIN] [--runs 3] [--dir /tmp/tlkc-bench]

For every shape, one corpus of the largest size is generated with
`samplegen bench-corpus DIR --files N --shape SHAPE` (deterministic, so the first n files of
the N-file corpus are the n-file corpus) and the smaller folder sizes are hard-linked
prefixes of it. The files are read once to warm the page cache ("cold" is a fresh index
database, not a cold disk). Then, per shape:

- peak RSS (the child's ru_maxrss) of a cold `tlkc check --no-ocr` at every size, for
  each binary, and the slope per file between the smallest and the largest size;
- at the largest size, `sha256sum` of the same files, the cold check and the warm check
  (nothing changed), RUNS times each, binaries interleaved, medians of wall and CPU time.

Prints Markdown and writes it to DIR/shapes-<sizes>.md. Needs only Python 3 and coreutils.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, cwd=None):
    """(wall s, CPU s, peak RSS MB) of one child process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{cmd[0]} exited with {code}: {' '.join(cmd)}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def corpus(base, shape, n, samplegen):
    work = os.path.join(base, shape, f"n{n}")
    if not os.path.exists(os.path.join(work, ".complete")):
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        subprocess.run([samplegen, "bench-corpus", work, "--files", str(n), "--shape", shape],
                       check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(work, ".complete"), "w").close()
    return work


def prefix(full, base, shape, n):
    """The first n files of `full` as hard links (same inodes, same bytes)."""
    work = os.path.join(base, shape, f"prefix{n}")
    if os.path.exists(os.path.join(work, ".complete")):
        return work
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(os.path.join(full, "ca"), os.path.join(work, "ca"))
    ev, src = os.path.join(work, "evidence"), os.path.join(full, "evidence")
    os.makedirs(ev)
    shutil.copy(os.path.join(src, "tlkc.toml"), ev)
    for d, _, files in os.walk(src):
        for f in files:
            m = re.fullmatch(r"ho so (\d+)\.pdf", f)
            if m and int(m.group(1)) < n:
                rel = os.path.relpath(d, src)
                os.makedirs(os.path.join(ev, rel), exist_ok=True)
                os.link(os.path.join(d, f), os.path.join(ev, rel, f))
    open(os.path.join(work, ".complete"), "w").close()
    return work


def pdfs(ev):
    out = []
    for d, _, files in os.walk(ev):
        out += [os.path.join(d, f) for f in files if f.endswith(".pdf")]
    return sorted(out)


def fresh(db):
    for s in ("", "-wal", "-shm"):
        if os.path.exists(db + s):
            os.remove(db + s)


def check(binary, ev, db):
    return [binary, "check", ev, "--db", db, "--no-ocr", "--no-progress", "-qq"]


def measure(shape, sizes, bins, runs, base, samplegen):
    full = corpus(base, shape, sizes[-1], samplegen)
    folders = {n: (full if n == sizes[-1] else prefix(full, base, shape, n)) for n in sizes}
    files = pdfs(os.path.join(full, "evidence"))
    nbytes = 0
    for f in files:  # also warms the page cache
        with open(f, "rb") as fh:
            nbytes += len(fh.read())
    db = os.path.join(base, shape, "bench.db")
    load_before = open("/proc/loadavg").read().split()[:3]
    rss = {}
    for n in sizes:
        ev = os.path.join(folders[n], "evidence")
        for name, b in bins:
            fresh(db)
            rss[(name, n)] = run(check(b, ev, db))[2]
    ev = os.path.join(full, "evidence")
    sha, cold, warm = [], {b: [] for b, _ in bins}, {b: [] for b, _ in bins}
    listing = os.path.join(base, shape, "files0")
    with open(listing, "wb") as fh:
        fh.write(b"\0".join(f.encode() for f in files))
    for _ in range(runs):
        sha.append(run(["xargs", "-0", "-a", listing, "sha256sum"]))
        for name, b in bins:
            fresh(db)
            cold[name].append(run(check(b, ev, db)))
            warm[name].append(run(check(b, ev, db)))
    load_after = open("/proc/loadavg").read().split()[:3]
    med = lambda xs, i: statistics.median(x[i] for x in xs)
    out = [f"### {shape}: {len(files)} files, {nbytes / 1e6:.0f} MB at the largest size\n",
           "| binary | " + " | ".join(f"peak RSS {n}" for n in sizes)
           + f" | slope KB/file | sha256sum wall / CPU s | cold wall / CPU s | warm wall / CPU s"
           + " | cold ÷ sha256sum (wall / CPU) | warm ÷ cold (wall / CPU) |",
           "|---|" + "---:|" * (len(sizes) + 6)]
    s_w, s_c = med(sha, 0), med(sha, 1)
    for name, _ in bins:
        c_w, c_c = med(cold[name], 0), med(cold[name], 1)
        w_w, w_c = med(warm[name], 0), med(warm[name], 1)
        slope = (rss[(name, sizes[-1])] - rss[(name, sizes[0])]) * 1024 / (sizes[-1] - sizes[0])
        out.append(f"| {name} | " + " | ".join(f"{rss[(name, n)]:.1f} MB" for n in sizes)
                   + f" | {slope:.1f} | {s_w:.2f} / {s_c:.2f} | {c_w:.2f} / {c_c:.2f}"
                   + f" | {w_w:.3f} / {w_c:.3f} | {c_w / s_w:.3f} / {c_c / s_c:.3f}"
                   + f" | {w_w / c_w:.4f} / {w_c / c_c:.4f} |")
    out.append(f"\n{runs} runs of each timing (medians), binaries interleaved; load average "
               f"before {' '.join(load_before)}, after {' '.join(load_after)}.\n")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 2000])
    ap.add_argument("--shapes", nargs="+", default=["ordinary", "e-office", "scans-heavy"])
    ap.add_argument("--before", help="a second tlkc binary to measure in the same run")
    ap.add_argument("--after", default=os.path.join(ROOT, "target/release/tlkc"))
    ap.add_argument("--samplegen", default=os.path.join(ROOT, "target/release/samplegen"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/tlkc-bench"))
    a = ap.parse_args()
    sizes = sorted(a.sizes)
    bins = ([("before", a.before)] if a.before else []) + [("after" if a.before else "tlkc", a.after)]
    text = [f"## tlkc check --no-ocr per corpus shape (bench/shapes.py --sizes {' '.join(map(str, sizes))})\n"]
    for shape in a.shapes:
        t = measure(shape, sizes, bins, a.runs, a.dir, a.samplegen)
        print(t, flush=True)
        text.append(t)
    path = os.path.join(a.dir, f"shapes-{'-'.join(map(str, sizes))}.md")
    open(path, "w").write("\n".join(text))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
