#!/usr/bin/env python3
"""Do picture uploads slow the server down? Figures for docs/performance.md.

Starts `qobe serve` on a fresh data folder, signs the first-run operator in through the real
forms, then times `GET /healthz` one request after another for five seconds: on an idle
server, while four clients upload decompression bombs as fast as they can (a 190 KB PNG of a
7,900 x 7,900 canvas, 187 MB once decoded, which the old 8,000-pixel side limit let through),
and while four clients upload real 20-megapixel pictures, each decoded and resized. Standard
library only.

Usage: scripts/bench_uploads.py [path-to-qobe-binary]   (default: target/release/qobe)
"""

import http.cookiejar
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import zlib

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/qobe"
PORT = 18182
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "correct horse battery"


def png(width, height, rows):
    """A PNG of 8-bit RGB rows (each a bytes object of width * 3), or a header-only one."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


BOMB = None


def bomb():
    """A small PNG of a 62-megapixel canvas of zeros: 187 MB when decoded."""
    global BOMB
    if BOMB is None:
        side = 7_900
        BOMB = png(side, side, [bytes(side * 3)] * side)
    return BOMB


def real_picture():
    """A 5,000 x 4,000 (20-megapixel) gradient: a few MB of PNG that takes real work to decode."""
    width, height = 5_000, 4_000
    row = bytes(x * 255 // width for x in range(width) for _ in range(3))
    return png(width, height, [row] * height)


def session():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def csrf(page):
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)


def sign_in_operator(log_path):
    for _ in range(100):
        text = open(log_path, encoding="utf-8", errors="replace").read()
        found = re.search(re.escape(BASE) + r"/setup\?token=[0-9a-f]+", text)
        if found:
            break
        time.sleep(0.1)
    link = found.group(0)
    opener, jar = session()
    page = opener.open(link).read().decode()
    form = {
        "csrf_token": csrf(page), "token": link.split("token=")[1], "name": "Bench Operator",
        "email": "bench@qobe.test", "password": PASSWORD, "password_confirm": PASSWORD, "accept_terms": "on",
    }
    opener.open(BASE + "/setup", urllib.parse.urlencode(form).encode()).read()
    return opener


def upload(opener, token, picture):
    boundary = "qobe-bench"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.png\"\r\n"
        "Content-Type: image/png\r\n\r\n"
    ).encode() + picture + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(BASE + "/profile/picture", data=body)
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as refused:
        return refused.code


def healthz_latencies(seconds=5.0):
    times = []
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        started = time.perf_counter()
        urllib.request.urlopen(BASE + "/healthz").read()
        times.append((time.perf_counter() - started) * 1000)
    return times


def under_load(opener, token, picture, clients=4):
    stop = threading.Event()
    statuses = []

    def keep_uploading():
        while not stop.is_set():
            statuses.append(upload(opener, token, picture))

    workers = [threading.Thread(target=keep_uploading) for _ in range(clients)]
    for worker in workers:
        worker.start()
    time.sleep(0.5)
    started = time.perf_counter()
    latencies = healthz_latencies()
    elapsed = time.perf_counter() - started
    stop.set()
    for worker in workers:
        worker.join()
    return latencies, statuses, elapsed


def describe(name, latencies, statuses=None, elapsed=None):
    ordered = sorted(latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    uploads = ""
    if statuses is not None:
        kinds = {status: statuses.count(status) for status in sorted(set(statuses))}
        uploads = f" | {len(statuses)} uploads in {elapsed:.1f} s, statuses {kinds}"
    print(f"| {name} | {statistics.median(ordered):.2f} | {p(0.95):.2f} | {p(0.99):.2f} | {ordered[-1]:.2f}{uploads} |")


def main():
    data = tempfile.mkdtemp(prefix="qobe-bench-uploads-")
    log = f"{data}/out.log"
    env = {"QOBE_DATA_DIR": data, "QOBE_BIND": f"127.0.0.1:{PORT}", "QOBE_LOG": "warn", "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen([BIN], env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    try:
        opener = sign_in_operator(log)
        token = csrf(opener.open(BASE + "/profile").read().decode())
        big = real_picture()
        print(f"bomb: {len(bomb()) / 1e3:.0f} KB, 62 megapixels; real picture: {len(big) / 1e6:.1f} MB, 20 megapixels")
        assert upload(opener, token, bomb()) == 422, "the bomb is refused"
        assert upload(opener, token, big) in (200, 303), "the real picture is taken"
        print("| /healthz, one request after another | median ms | p95 ms | p99 ms | max ms |")
        print("| --- | --- | --- | --- | --- |")
        describe("idle server", healthz_latencies())
        describe("4 clients uploading bombs", *under_load(opener, token, bomb()))
        describe("4 clients uploading 20-megapixel pictures", *under_load(opener, token, big))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
