"""Medians and ratios from bench/run.sh's results (Markdown on stdout).

summarize.py OUT NFILES NBYTES NSUB     one shape: the full table; also writes OUT/summary.json
summarize.py --compare NAME=OUT ...     shapes side by side against the targets
"""
import json
import os
import re
import statistics
import sys


def hf(out, name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return None
    r = json.load(open(p))["results"][0]
    return statistics.median(r["times"]), len(r["times"]), r["user"] + r["system"]


def rss(out, name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(p).read())
    return int(m.group(1)) / 1024 if m else None


def one(out, nfiles, nbytes, nsub):
    base = hf(out, "a_sha256sum.json")
    cold = hf(out, "b_cold.json")
    rows = [
        ("a", "(a) sha256sum, all files (baseline)", base, nfiles),
        ("b", "(b) tlkc check, cold (fresh db)", cold, nfiles),
        ("c", "(c) tlkc check, warm (nothing changed)", hf(out, "c_warm.json"), nfiles),
        ("d", "(d) warm, 1 % touched (mtime)", hf(out, "d_touch1.json"), nfiles),
        ("d'", "(d') warm, 1 % bytes changed", hf(out, "d_edit1.json"), nfiles),
        ("g", "(g) warm with --rehash (hash every file, inspect none)", hf(out, "g_rehash.json"), nfiles),
        ("e", f"(e) pdfsig, one process per file ({nsub}-file subset)", hf(out, "e_pdfsig.json"), nsub),
    ]
    ph = os.path.join(out, "f_pyhanko.json")
    if os.path.exists(ph) and os.path.getsize(ph):
        j = json.load(open(ph))
        rows.append(("f", f"(f) pyHanko in-process ({nsub}-file subset, {j['signatures']} sigs)",
                     (statistics.median(j["seconds"]), len(j["seconds"]), None), nsub))
    summary = {"files": nfiles, "bytes": nbytes, "rows": {}}
    print(f"N = {nfiles} files, {nbytes / 1e6:.0f} MB\n")
    print("| measurement | runs | median wall s | wall ms / file | × sha256sum | × cold | mean CPU s (user+sys) | CPU × sha256sum | CPU × cold |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, label, r, n in rows:
        if r is None:
            print(f"| {label} | – | not measured | | | | | | |")
            continue
        med, k, cpu = r
        per = med / n * 1000
        xb = per / (base[0] / nfiles * 1000)
        xc = per / (cold[0] / nfiles * 1000)
        row = {"median_s": med, "runs": k, "ms_per_file": per, "x_sha": xb, "x_cold": xc}
        if cpu is None:
            c = "| (in-process, wall only) | | "
        else:
            cper = cpu / n
            row.update(cpu_s=cpu, cpu_x_sha=cper / (base[2] / nfiles), cpu_x_cold=cper / (cold[2] / nfiles))
            c = f"| {cpu:.3f} | {row['cpu_x_sha']:.3f} | {row['cpu_x_cold']:.4f} "
        summary["rows"][key] = row
        print(f"| {label} | {k} | {med:.3f} | {per:.3f} | {xb:.3f} | {xc:.4f} {c}|")
    summary["rss_cold_mb"] = rss(out, "rss_cold.txt")
    summary["rss_warm_mb"] = rss(out, "rss_warm.txt")
    for f in ("load_before", "load_after"):
        p = os.path.join(out, f)
        summary[f] = open(p).read().split()[:3] if os.path.exists(p) else None
    print()
    print(f"sha256sum throughput: {nbytes / base[0] / 1e9:.2f} GB/s; tlkc cold: {nbytes / cold[0] / 1e9:.2f} GB/s")
    print(f"peak RSS: cold {summary['rss_cold_mb']:.0f} MB, warm {summary['rss_warm_mb']:.0f} MB")
    print(f"load average (1/5/15 min) before: {summary['load_before']}, after: {summary['load_after']}")
    print("(× columns compare cost per file, so subset rows are comparable with full-corpus rows)")
    json.dump(summary, open(os.path.join(out, "summary.json"), "w"), indent=1)


def compare(pairs):
    shapes = []
    for p in pairs:
        name, out = p.split("=", 1)
        shapes.append((name, json.load(open(os.path.join(out, "summary.json")))))

    def g(s, key, field, inv=False):
        r = s["rows"].get(key)
        if not r or r.get(field) is None:
            return None
        return 1 / r[field] if inv else r[field]

    lines = [
        ("cold wall ÷ sha256sum wall", lambda s: g(s, "b", "x_sha"), "≤ 0.75", lambda v: v <= 0.75),
        ("cold CPU ÷ sha256sum CPU", lambda s: g(s, "b", "cpu_x_sha"), "(info)", None),
        ("warm ÷ cold (wall)", lambda s: g(s, "c", "x_cold"), "≤ 0.03", lambda v: v <= 0.03),
        ("warm ÷ cold (CPU)", lambda s: g(s, "c", "cpu_x_cold"), "≤ 0.03", lambda v: v <= 0.03),
        ("1 % touched ÷ cold (wall)", lambda s: g(s, "d", "x_cold"), "≤ 0.06", lambda v: v <= 0.06),
        ("1 % bytes changed ÷ cold (wall)", lambda s: g(s, "d'", "x_cold"), "≤ 0.06", lambda v: v <= 0.06),
        ("1 % bytes changed ÷ cold (CPU)", lambda s: g(s, "d'", "cpu_x_cold"), "≤ 0.06", lambda v: v <= 0.06),
        ("pdfsig per file ÷ tlkc cold per file (wall)", lambda s: g(s, "e", "x_cold"), "≥ 5", lambda v: v >= 5),
        ("pyHanko per file ÷ tlkc cold per file (wall)", lambda s: g(s, "f", "x_cold"), "≥ 30", lambda v: v >= 30),
        ("peak RSS, cold run (MB)", lambda s: s.get("rss_cold_mb"), "≤ 100", lambda v: v <= 100),
        ("peak RSS, warm run (MB)", lambda s: s.get("rss_warm_mb"), "≤ 100", lambda v: v <= 100),
    ]
    names = [n for n, _ in shapes]
    print("| | " + " | ".join(f"{n} ({s['files']} files, {s['bytes'] / 1e6:.0f} MB)" for n, s in shapes) + " | target |")
    print("|---|" + "---:|" * len(shapes) + "---|")
    for label in ("sha256sum", "tlkc cold", "tlkc warm"):
        key = {"sha256sum": "a", "tlkc cold": "b", "tlkc warm": "c"}[label]
        cells = []
        for _, s in shapes:
            r = s["rows"].get(key)
            cells.append(f"{r['median_s']:.3f} s wall, {r.get('cpu_s', 0):.3f} s CPU" if r else "–")
        print(f"| {label} (median) | " + " | ".join(cells) + " | |")
    for label, f, target, ok in lines:
        cells = []
        for _, s in shapes:
            v = f(s)
            if v is None:
                cells.append("–")
            else:
                mark = "" if ok is None else (" ✓" if ok(v) else " **✗**")
                cells.append(f"{v:.3f}{mark}")
        print(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    print("\nload average (1/5/15 min) before/after each shape: " + "; ".join(
        f"{n}: {s.get('load_before')} / {s.get('load_after')}" for n, s in shapes))


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(sys.argv[2:])
    else:
        one(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
