#!/usr/bin/env python3
"""Search at scale: what ldr's search index costs to build, to store and to download, at
65, 1,000 and 10,000 footprints, beside Pagefind's index of the same records.

    python3 bench/search_size.py [N ...] [--work DIR] [--runs 3]

For each N it generates the corpus (bench/generate_corpus.py N), then

- builds it RUNS times with `target/release/ldr build`, LDR_TIMINGS=1, into a freshly
  deleted folder, and takes the median of the index stage's time and of the whole build
  (the build's own "in N ms"), and of the load+model+render+index stages without the write;
- sums the apparent size of search/index/ and counts its files;
- indexes the same records with Pagefind (bench/pagefind-baseline, Pagefind's Rust API)
  and measures its time and size the same way (one run: it is slow at 10,000);
- measures in headless Chromium (bench/search_transfer.mjs) the bytes downloaded for a
  first query (an organisation's full name, unique in the corpus) and a second (a trust's
  ODS code), served the way a static host serves them (text gzipped on the fly), and
  checks that ldr's first result is the right organisation.

Prints a Markdown table. Needs Chromium and the npm packages of tests/browser
(scripts/install-test-tools). Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LDR = REPO / "target" / "release" / "ldr"
BASELINE_DIR = REPO / "bench" / "pagefind-baseline"
BASELINE = BASELINE_DIR / "target" / "release" / "pagefind-baseline"


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def tree_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def ldr_build(content: Path, out: Path) -> dict[str, int]:
    shutil.rmtree(out, ignore_errors=True)
    result = run(
        [str(LDR), "build", "--content", str(content), "--themes", str(REPO / "themes"),
         "--output", str(out)],
        env={**os.environ, "LDR_TIMINGS": "1"},
    )
    stages = {m[1]: int(m[2]) for m in re.finditer(r"timing: (\w+) (\d+) ms", result.stderr)}
    stages["build"] = int(re.search(r"in (\d+) ms", result.stdout + result.stderr).group(1))
    return stages


def queries(content: Path) -> tuple[str, str, str, str]:
    """An organisation whose name no other has, and a trust's code, with their pages."""
    rows = list(csv.DictReader((content / "organisations.csv").open(encoding="utf-8")))
    names = Counter(r["name"] for r in rows)
    unique = [r for r in rows if names[r["name"]] == 1 and r["kind"] == "trust"]
    named = unique[len(unique) // 2]
    trusts = [r for r in rows if r["kind"] == "trust" and r["code"] != named["code"]]
    coded = trusts[len(trusts) // 3]
    return (named["name"], coded["code"],
            f"/organisations/{named['code']}/", f"/organisations/{coded['code']}/")


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n >= 10 * 1024 else f"{n / 1024:,.1f} KB"


def mb(n: float) -> str:
    return f"{n / 1048576:,.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[65, 1000, 10000])
    parser.add_argument("--work", type=Path, help="where corpora and sites go (kept)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    run(["cargo", "build", "--release", "--quiet"], cwd=BASELINE_DIR)
    work = args.work or Path(tempfile.mkdtemp(prefix="ldr-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; "
          f"ldr {run(['git', 'rev-parse', '--short', 'HEAD'], cwd=REPO).stdout.strip()}; "
          f"{args.runs} runs, medians", file=sys.stderr)

    rows = []
    for n in args.sizes:
        corpus = work / f"corpus-{n}"
        content = corpus / "ldr" / "content"
        if not content.is_dir():
            run([sys.executable, str(REPO / "bench" / "generate_corpus.py"), str(n), str(corpus)])
        site = work / f"site-{n}"
        builds = [ldr_build(content, site) for _ in range(args.runs)]
        median = {k: statistics.median(b[k] for b in builds) for k in builds[0]}
        in_memory = sum(median[k] for k in ("load", "model", "render", "index"))
        index_bytes, index_files = tree_size(site / "search" / "index")
        with gzip.open(site / "search" / "index" / "meta.json.gz") as meta:
            records = json.load(meta)["records"]

        baseline = run([str(BASELINE), str(content), str(site)]).stdout
        pagefind_ms = int(re.search(r"in (\d+) ms", baseline).group(1))
        pagefind_bytes, pagefind_files = tree_size(site / "pagefind")

        first, second, want_first, want_second = queries(content)
        transfer = run(["node", str(REPO / "bench" / "search_transfer.mjs"), str(site),
                        first, second, want_first, want_second])
        engines = {j["engine"]: j for j in map(json.loads, transfer.stdout.splitlines())}
        rows.append({
            "n": n, "records": records, "median": median, "in_memory": in_memory,
            "index_bytes": index_bytes, "index_files": index_files,
            "pagefind_ms": pagefind_ms, "pagefind_bytes": pagefind_bytes,
            "pagefind_files": pagefind_files, "engines": engines,
        })
        print(json.dumps(rows[-1]), file=sys.stderr)

    print("| footprints (records) | engine | index build | share of build (of stages before write) "
          "| index on disk (files) | first query | second query |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        m = r["median"]
        ldr, pf = r["engines"]["ldr"], r["engines"].get("pagefind")
        label = f"{r['n']:,} ({r['records']:,})"
        print(f"| {label} | ldr | {m['index'] / 1000:.2f} s | {m['index'] / m['build']:.0%} "
              f"({m['index'] / r['in_memory']:.0%}) | {mb(r['index_bytes'])} ({r['index_files']:,}) "
              f"| {kb(ldr['first']['bytes'])} ({ldr['first']['requests']}) "
              f"| {kb(ldr['second']['bytes'])} ({ldr['second']['requests']}) |")
        # Pagefind in place of ldr's index stage: the rest of the build stays as it is.
        swapped = m["build"] - m["index"] + r["pagefind_ms"]
        swapped_mem = r["in_memory"] - m["index"] + r["pagefind_ms"]
        print(f"| {label} | Pagefind | {r['pagefind_ms'] / 1000:.2f} s "
              f"| {r['pagefind_ms'] / swapped:.0%} ({r['pagefind_ms'] / swapped_mem:.0%}) "
              f"| {mb(r['pagefind_bytes'])} ({r['pagefind_files']:,}) "
              f"| {kb(pf['first']['bytes'])} ({pf['first']['requests']}) "
              f"| {kb(pf['second']['bytes'])} ({pf['second']['requests']}) |")


if __name__ == "__main__":
    main()
