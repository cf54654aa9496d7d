#!/usr/bin/env bash
# Edit-to-pixels latency of `ldr serve` and `hugo server`, for each kind of edit, on the
# default site and on generated corpora (bench/generate_corpus.py). Prints one JSON line per
# server, corpus and edit (see bench/edit_to_pixels.mjs for the method).
#
#   bench/edit_to_pixels.sh                  # the default site, then 1,000 footprints
#   bench/edit_to_pixels.sh 1000 10000       # chosen corpus sizes (the default site always runs)
#   EDITS=10 HUGO_EDITS=5 bench/edit_to_pixels.sh
#
# Needs Chromium, tests/browser/node_modules (npm ci --prefix tests/browser), hugo
# (scripts/install-bench-tools) and Cargo; builds ldr with `cargo build --release` first.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000}")
edits=${EDITS:-20}
hugo_edits=${HUGO_EDITS:-10}
cargo build --release --quiet
ldr="${CARGO_TARGET_DIR:-target}/release/ldr"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
# The default content records no governance.
for edit in roadmap css members; do
  node bench/edit_to_pixels.mjs ldr content themes --edit "$edit" --edits "$edits" --ldr "$ldr"
done
for n in "${sizes[@]}"; do
  python3 bench/generate_corpus.py "$n" "$work/$n" >/dev/null
  for edit in roadmap governance css members; do
    node bench/edit_to_pixels.mjs ldr "$work/$n/ldr/content" themes --edit "$edit" --edits "$edits" --ldr "$ldr"
    node bench/edit_to_pixels.mjs hugo "$work/$n/hugo" --edit "$edit" --edits "$hugo_edits"
  done
  rm -rf "${work:?}/$n"
done
