#!/usr/bin/env bash
# Build time of sites whose stories carry many tags: each tag has a page under
# /stories/tags/, so tags must cost time in proportion to stories times their tags.
#
#   bench/tags.sh [CASE...]     default: 200x5 2000x5 1x10000 (STORIES x TAGS PER STORY)
#
# Environment:
#   RUNS=3          timed builds per case (after one warm-up build)
#   PROFILE=release build and time target/release/ldr; PROFILE=debug times the debug build
#   BENCH_DIR=      where the corpora and outputs go (default: target/)
#
# Each case is the 10-footprint corpus of bench/generate_corpus.py with STORIES stories of
# TAGS tags each, every tag its own ("topic 17"), so the site has STORIES x TAGS tag pages.
# The table gives the median wall time of a whole build, the time per story, and the time
# per tag (story times its tags); proportional cost keeps the last column level from case
# to case. Nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

runs=${RUNS:-3}
profile=${PROFILE:-release}
cases=("$@")
((${#cases[@]})) || cases=(200x5 2000x5 1x10000)

case $profile in
  release) cargo build --release --quiet ;;
  debug) cargo build --quiet ;;
  *) echo "error: PROFILE is release or debug, not $profile" >&2; exit 2 ;;
esac
ldr=$repo/target/$profile/ldr

base=${BENCH_DIR:-$repo/target}
mkdir -p "$base"
work=$(mktemp -d "$base/ldr-tags.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "# Tags benchmark ($profile build, $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $runs runs, medians)"
echo
echo "| stories | tags each | tag pages | pages | wall s | ms per story | µs per story-tag |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for case in "${cases[@]}"; do
  stories=${case%x*}
  tags=${case#*x}
  corpus=$work/corpus-$case
  out=$work/out-$case
  python3 bench/generate_corpus.py 10 "$corpus" --stories "$stories" --tags-per-story "$tags" >/dev/null
  build() {
    rm -rf "$out"
    "$ldr" build --content "$corpus/ldr/content" --themes "$repo/themes" --output "$out" >/dev/null 2>"$work/stderr" || {
      echo "error: the build of $case failed:" >&2
      cat "$work/stderr" >&2
      exit 1
    }
  }
  build
  times=()
  for ((i = 1; i <= runs; i++)); do
    t0=$EPOCHREALTIME
    build
    t1=$EPOCHREALTIME
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')")
  done
  wall=$(printf '%s\n' "${times[@]}" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
  tag_pages=$(find "$out/stories/tags" -name index.html | wc -l)
  pages=$(find "$out" -name '*.html' | wc -l)
  awk -v s="$stories" -v t="$tags" -v tp="$tag_pages" -v p="$pages" -v w="$wall" 'BEGIN {
    printf "| %d | %d | %d | %d | %.3f | %.2f | %.1f |\n", s, t, tp, p, w, w * 1000 / s, w * 1e6 / (s * t)
  }'
  rm -rf "$corpus" "$out"
done
