"""Medians and ratios from bench/run.sh's results directory (Markdown table on stdout)."""
import json
import os
import re
import statistics
import sys

out, nfiles, nbytes, nsub = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


def hf(name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return None
    r = json.load(open(p))["results"][0]
    return statistics.median(r["times"]), len(r["times"]), r["user"] + r["system"]


def rss(name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(p).read())
    return int(m.group(1)) / 1024 if m else None


base = hf("a_sha256sum.json")
cold = hf("b_cold.json")
rows = [
    ("(a) sha256sum, all files (baseline)", base, nfiles),
    ("(b) tlkc check, cold (fresh db)", cold, nfiles),
    ("(c) tlkc check, warm (nothing changed)", hf("c_warm.json"), nfiles),
    ("(d) warm, 1 % touched (mtime)", hf("d_touch1.json"), nfiles),
    ("(d') warm, 1 % bytes changed", hf("d_edit1.json"), nfiles),
    ("(g) warm with --rehash (hash every file, inspect none)", hf("g_rehash.json"), nfiles),
    (f"(e) pdfsig, one process per file ({nsub}-file subset)", hf("e_pdfsig.json"), nsub),
]
ph = os.path.join(out, "f_pyhanko.json")
if os.path.exists(ph) and os.path.getsize(ph):
    j = json.load(open(ph))
    rows.append((f"(f) pyHanko in-process ({nsub}-file subset, {j['signatures']} sigs)",
                 (statistics.median(j["seconds"]), len(j["seconds"]), None), nsub))
print(f"N = {nfiles} files, {nbytes / 1e6:.0f} MB\n")
print("| measurement | runs | median wall s | wall ms / file | × sha256sum | × cold | mean CPU s (user+sys) | CPU × sha256sum | CPU × cold |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for label, r, n in rows:
    if r is None:
        print(f"| {label} | – | not measured | | | | | | |")
        continue
    med, k, cpu = r
    per = med / n * 1000
    xb = per / (base[0] / nfiles * 1000)
    xc = per / (cold[0] / nfiles * 1000)
    if cpu is None:
        c = "| (in-process, wall only) | | "
    else:
        cper = cpu / n
        c = f"| {cpu:.3f} | {cper / (base[2] / nfiles):.3f} | {cper / (cold[2] / nfiles):.4f} "
    print(f"| {label} | {k} | {med:.3f} | {per:.3f} | {xb:.3f} | {xc:.4f} {c}|")
print()
print(f"sha256sum throughput: {nbytes / base[0] / 1e9:.2f} GB/s; tlkc cold: {nbytes / cold[0] / 1e9:.2f} GB/s")
print(f"peak RSS: cold {rss('rss_cold.txt'):.0f} MB, warm {rss('rss_warm.txt'):.0f} MB")
print("(× columns compare cost per file, so subset rows are comparable with full-corpus rows)")
