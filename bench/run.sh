#!/usr/bin/env bash
# Side-by-side build benchmark of ldr and Hugo on the same generated corpus.
#
#   bench/run.sh [N...]          default: 65 1000 10000 footprints
#
# Environment:
#   RUNS=5        timed runs of each tool per N (after one warm-up run each)
#   BENCH_DIR=    where the corpora and outputs go (default: target/ in this repository,
#                 on the ordinary disk; BENCH_DIR=/dev/shm puts them on tmpfs)
#   SEED=1        corpus seed (bench/generate_corpus.py --seed)
#   KEEP=1        keep the corpora and outputs afterwards
#
# For each N it generates the corpus, runs each tool once to warm up (and to check that
# both build), then RUNS rounds of: ldr, hugo, and a plain `cp -r` of ldr's output as the
# floor (the order of ldr and hugo alternates from round to round). Every build goes into
# a freshly deleted output folder. Each run is measured with /usr/bin/time (wall seconds,
# peak RSS in KB, user and system CPU seconds); the table reports medians. The load
# average is printed before and after each N: on a shared machine other work inflates wall
# time more than CPU time. Nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=${RUNS:-5}
seed=${SEED:-1}
sizes=("$@")
((${#sizes[@]})) || sizes=(65 1000 10000)

for tool in hugo python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || {
    echo "error: $tool is missing; run scripts/install-bench-tools" >&2
    exit 1
  }
done

cargo build --release --quiet
ldr=$repo/target/release/ldr

base=${BENCH_DIR:-$repo/target}
mkdir -p "$base"
work=$(mktemp -d "$base/ldr-bench.XXXXXX")
if [ "${KEEP:-0}" != 1 ]; then
  trap 'rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM
fi

# --- The machine ---------------------------------------------------------------------------
cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_gb=$(awk '/^MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
fs=$(df -T "$work" | awk 'NR == 2 {print $2}')
echo "# ldr vs Hugo build benchmark"
echo
echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- Machine: $(nproc) CPUs ($cpu), ${mem_gb} GB memory, $(uname -sr)"
echo "- Corpus and outputs on: $fs"
dirty=$(git status --porcelain -- src themes Cargo.toml Cargo.lock 2>/dev/null | head -1)
echo "- ldr $(git rev-parse --short HEAD 2>/dev/null || echo '?')${dirty:+ with uncommitted changes} (release build), $(hugo version | cut -d' ' -f1-2), $(python3 --version)"
echo "- $runs timed runs per tool after 1 warm-up each; medians; seed $seed"
echo

# --- Helpers -------------------------------------------------------------------------------

# timed NAME CMD...: runs CMD under /usr/bin/time, appends "NAME wall_s rss_kb cpu_s e_s"
# to $log. The wall time is also taken from bash's EPOCHREALTIME (microseconds) around the
# same call, because %e only has 10 ms steps; that is the one the table uses. `sync` first,
# untimed, so that no run pays for writing back the previous run's files or deletions.
timed() {
  local name=$1
  shift
  local t0 t1
  sync
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%e %M %U %S' -o "$work/time.out" "$@" >/dev/null 2>"$work/stderr.out" || {
    echo "error: $name failed:" >&2
    cat "$work/stderr.out" >&2
    exit 1
  }
  t1=$EPOCHREALTIME
  read -r e m u s <"$work/time.out"
  awk -v n="$name" -v a="$t0" -v b="$t1" -v m="$m" -v u="$u" -v s="$s" -v e="$e" \
    'BEGIN {printf "%s %.3f %s %.2f %s\n", n, b - a, m, u + s, e}' >>"$log"
}

median() { # median of column $2 for tool $1 in $log
  awk -v t="$1" -v c="$2" '$1 == t {print $c}' "$log" | sort -g |
    awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

build_ldr() { rm -rf "$out/ldr"; timed "$1" "$ldr" build --content "$corpus/ldr/content" --themes "$repo/themes" --output "$out/ldr"; }
build_hugo() { rm -rf "$out/hugo"; timed "$1" hugo --quiet --source "$corpus/hugo" --destination "$out/hugo"; }
copy_floor() { rm -rf "$out/cp"; timed "$1" cp -r "$out/ldr" "$out/cp"; }

# --- The runs ------------------------------------------------------------------------------
for n in "${sizes[@]}"; do
  corpus=$work/corpus-$n
  out=$work/out-$n
  log=$work/runs-$n.txt
  : >"$log"
  mkdir -p "$out"
  python3 bench/generate_corpus.py "$n" "$corpus" --seed "$seed" >/dev/null
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  build_ldr warmup
  build_hugo warmup
  copy_floor warmup
  for ((i = 1; i <= runs; i++)); do
    if ((i % 2)); then
      build_ldr ldr
      build_hugo hugo
    else
      build_hugo hugo
      build_ldr ldr
    fi
    copy_floor cp
  done

  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  pages_ldr=$(find "$out/ldr" -name '*.html' | wc -l)
  pages_hugo=$(find "$out/hugo" -name '*.html' | wc -l)
  files_ldr=$(find "$out/ldr" -type f | wc -l)
  files_hugo=$(find "$out/hugo" -type f | wc -l)
  size_ldr=$(du -sh "$out/ldr" | cut -f1)
  size_hugo=$(du -sh "$out/hugo" | cut -f1)
  source_size=$(du -sh "$corpus/ldr/content" | cut -f1)
  t_ldr=$(median ldr 2)
  t_hugo=$(median hugo 2)
  t_cp=$(median cp 2)
  m_ldr=$(median ldr 3)
  m_hugo=$(median hugo 3)
  c_ldr=$(median ldr 4)
  c_hugo=$(median hugo 4)
  c_cp=$(median cp 4)
  organisations=$(($(wc -l <"$corpus/ldr/content/organisations.csv") - 1))
  footprints=$(find "$corpus/ldr/content/footprints" -mindepth 1 -maxdepth 1 -type d | wc -l)

  echo "## N = $n footprints"
  echo
  echo "$footprints footprints, $organisations organisations, $((n / 4 > 0 ? n / 4 : 1)) stories and events each; content $source_size."
  echo "Pages (.html files): ldr $pages_ldr, hugo $pages_hugo. All files: ldr $files_ldr, hugo $files_hugo."
  echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
  echo
  awk -v tl="$t_ldr" -v th="$t_hugo" -v tc="$t_cp" -v pl="$pages_ldr" -v ph="$pages_hugo" \
    -v ml="$m_ldr" -v mh="$m_hugo" -v sl="$size_ldr" -v sh="$size_hugo" \
    -v cl="$c_ldr" -v ch="$c_hugo" -v cc="$c_cp" 'BEGIN {
      print "| | ldr | hugo | cp -r (floor) | ldr / hugo |"
      print "|---|---:|---:|---:|---:|"
      printf "| median wall time (s) | %.3f | %.3f | %.3f | %.2f |\n", tl, th, tc, tl / th
      printf "| as a multiple of cp | %.1f× | %.1f× | 1× | |\n", tl / tc, th / tc
      printf "| median CPU time, user + sys (s) | %.2f | %.2f | %.2f | %.2f |\n", cl, ch, cc, (ch > 0 ? cl / ch : 0)
      printf "| pages per second | %.0f | %.0f | | %.2f |\n", pl / tl, ph / th, (pl / tl) / (ph / th)
      printf "| peak memory (MB) | %.0f | %.0f | | %.2f |\n", ml / 1024, mh / 1024, ml / mh
      printf "| output size (du -sh) | %s | %s | | |\n", sl, sh
    }'
  echo
  for tool in ldr hugo cp; do
    echo "- $tool runs, wall s: $(awk -v t="$tool" '$1 == t {printf "%s ", $2}' "$log")(CPU s: $(awk -v t="$tool" '$1 == t {printf "%s ", $4}' "$log" | sed 's/ $//'); peak KB: $(awk -v t="$tool" '$1 == t {printf "%s ", $3}' "$log" | sed 's/ $//'))"
  done
  echo
  [ "${KEEP:-0}" = 1 ] || rm -rf "$corpus" "$out"
done
