#!/usr/bin/env python3
"""Save-to-reload latency of `ldr serve`.

Starts `ldr serve` on a copy of a content folder, listens to its live-reload event
stream like a browser tab does, and saves one footprint's roadmap.md (or, with
`--edit governance`, the CCIO in its footprint.toml; with `--edit members`, its list of
members, dropping the last and putting it back; with `--edit name`, its name, which many
pages show; with `--edit story` or `--edit event`, the title of the story or event in
the middle of its folder; with `--edit organisation`, the name of the organisation in the
middle of organisations.csv; with `--edit capabilities`, the first capability's title)
again and again.
For each save it measures the time from the write to the `reload` event, which the
server sends only after the rebuilt pages are in place. Prints the median and the 95th
percentile.

Usage: bench/reload_latency.py CONTENT_DIR THEMES_DIR [--ldr target/release/ldr] [--edits 40]
                               [--edit roadmap|governance|members|name|story|event|
                                       organisation|capabilities]
Standard library only.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_events(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /__ldr/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    stream = sock.makefile("rb")
    for line in stream:
        if line.startswith(b": connected"):
            return sock, stream
    raise SystemExit("no event stream")


def next_event(stream):
    name = None
    for line in stream:
        line = line.decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line == "" and name:
            return name
    raise SystemExit("event stream closed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content")
    parser.add_argument("themes")
    parser.add_argument("--ldr", default="target/release/ldr")
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--edit", default="roadmap", choices=[
        "roadmap", "governance", "members", "name", "story", "event", "organisation", "capabilities"])
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="ldr-latency-")
    content = os.path.join(work, "content")
    shutil.copytree(args.content, content)
    footprints = sorted(os.listdir(os.path.join(content, "footprints")))
    folder = os.path.join(content, "footprints", footprints[len(footprints) // 2])
    edited = os.path.join(folder, "roadmap.md" if args.edit == "roadmap" else "footprint.toml")
    if args.edit in ("story", "event"):
        writing = os.path.join(content, {"story": "stories", "event": "events"}[args.edit])
        names = sorted(os.listdir(writing))
        edited = os.path.join(writing, names[len(names) // 2])
    elif args.edit == "organisation":
        edited = os.path.join(content, "organisations.csv")
    elif args.edit == "capabilities":
        edited = os.path.join(content, "capabilities.toml")
    original = open(edited, encoding="utf-8").read()

    def version(n):
        if args.edit == "organisation":
            lines = original.splitlines(keepends=True)
            at = len(lines) // 2
            code, _, rest = lines[at].split(",", 2)
            lines[at] = f"{code},Edited organisation {n},{rest}"
            return "".join(lines)
        if args.edit in ("story", "event", "capabilities"):
            lines = original.splitlines(keepends=True)
            at = next(i for i, line in enumerate(lines) if line.startswith("title "))
            lines[at] = f'title = "Edit number {n}"\n'
            return "".join(lines)
        if args.edit == "roadmap":
            return original + f"\n\nEdit number {n}.\n"
        lines = original.splitlines(keepends=True)
        if args.edit == "members":
            if n % 2 == 1:
                return original
            at = next(i for i, line in enumerate(lines) if line.startswith("members "))
            lines[at] = lines[at].rsplit(",", 1)[0] + "]\n"
            return "".join(lines)
        key = "ccio" if args.edit == "governance" else "name"
        at = next((i for i, line in enumerate(lines) if line.startswith(key + " ")), None)
        if at is None:  # a footprint without a CCIO yet: give it one
            return original.rstrip("\n") + f'\n\n[governance]\nccio = "Edit number {n}"\n'
        lines[at] = f'{key} = "Edit number {n}"\n'
        return "".join(lines)

    port = free_port()
    server = subprocess.Popen(
        [os.path.abspath(args.ldr), "serve", "--port", str(port), "--content", content,
         "--themes", os.path.abspath(args.themes)],
        stderr=subprocess.PIPE, text=True)
    try:
        for line in server.stderr:
            if "Serving the site" in line:
                break
        sock, stream = open_events(port)
        times = []
        for n in range(args.edits + 3):
            started = time.perf_counter()
            with open(edited, "w", encoding="utf-8") as f:
                f.write(version(n))
            if next_event(stream) != "reload":
                raise SystemExit("expected a reload event")
            if n >= 3:  # the first saves warm the caches
                times.append((time.perf_counter() - started) * 1000)
            time.sleep(0.15)
        sock.close()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    pages = sum(1 for _ in footprints)
    print(f"{pages} footprints, {args.edit} edit, {len(times)} saves: median {statistics.median(times):.1f} ms, "
          f"95th percentile {p95:.1f} ms (save to reload event, debounce included)")


if __name__ == "__main__":
    main()
