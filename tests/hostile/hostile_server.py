"""A loopback HTTP server that misbehaves on purpose, for the hostile tests of `covtool fetch-dem`.

The first path segment picks the behaviour, the rest names a file under the served folder:
  /ok/F               the file, with its Content-Length
  /cut/F              declares the full length, sends half, closes
  /nolength/F         sends the whole file with no Content-Length and no chunking, then closes
  /truncate/F         the first half of the file, declared as the whole (HTTP complete, content cut)
  /badcrc/F           a .gz file with its CRC-32 trailer altered
  /html/F             status 200 with an HTML error page
  /bomb/F             a gzip stream that inflates to 300 MB of zeros
  /huge/F             declares 3 GiB
  /endless/F          chunked zeros that never end
  /redirect-same/F    302 to /ok/F on the same origin
  /redirect-other/F   302 to http://localhost:PORT/ok/F (another host name: another origin)
  /redirect-loop/F    302 to itself
  /stall/F            accepts, reads the request, then sends nothing for 10 minutes
  /error500/F         status 500 with a short body
Every request is appended to `server.requests` as (method, path), so a test can tell whether anything asked at all.
HEAD is answered for /ok/F (length only); GET /ok/F honours a "Range: bytes=a-b" header (as /vsicurl/ asks).
Started by tests: `start(folder)` returns (server, base_url); `server.shutdown()` stops it.
"""
import gzip
import http.server
import os
import threading
import time
import zlib

_BOMB = None
_BOMB_LOCK = threading.Lock()


def _bomb():
    global _BOMB
    with _BOMB_LOCK:
        if _BOMB is None:
            comp = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            block = bytes(1 << 20)
            parts = [comp.compress(block) for _ in range(300)]
            parts.append(comp.flush())
            _BOMB = b"".join(parts)
    return _BOMB


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output readable
        pass

    def _send(self, status, body, headers=(), length=None):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):
        self.server.requests.append(("HEAD", self.path))
        parts = self.path.lstrip("/").split("/", 1)
        path = os.path.join(self.server.folder, parts[1]) if len(parts) == 2 else None
        if parts[0] == "ok" and path and os.path.isfile(path):
            self.send_response(200)
            self.send_header("Content-Length", str(os.path.getsize(path)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_GET(self):
        self.server.requests.append(("GET", self.path))
        parts = self.path.lstrip("/").split("/", 1)
        mode, rest = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
        path = os.path.join(self.server.folder, rest)
        data = open(path, "rb").read() if os.path.isfile(path) else None
        port = self.server.server_address[1]
        if mode.startswith("redirect-"):
            target = {"redirect-same": f"/ok/{rest}", "redirect-other": f"http://localhost:{port}/ok/{rest}",
                      "redirect-loop": f"/redirect-loop/{rest}"}[mode]
            self._send(302, b"moved", [("Location", target)])
            return
        if mode == "stall":
            time.sleep(600)
            return
        if mode == "error500":
            self._send(500, b"Internal Server Error: try later")
            return
        if mode == "html":
            self._send(200, b"<!DOCTYPE html><html><body>Service unavailable</body></html>",
                       [("Content-Type", "text/html")])
            return
        if mode == "huge":
            self.send_response(200)
            self.send_header("Content-Length", str(3 << 30))
            self.end_headers()
            block = bytes(1 << 20)
            try:
                for _ in range(3 << 10):
                    self.wfile.write(block)
            except OSError:
                pass
            return
        if mode == "endless":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            block = bytes(1 << 20)
            chunk = b"%x\r\n" % len(block) + block + b"\r\n"
            try:
                while True:
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        if mode == "bomb":
            self._send(200, _bomb())
            return
        if data is None:
            self._send(404, b"no such tile")
            return
        if mode == "ok":
            rng = self.headers.get("Range", "")
            if rng.startswith("bytes="):
                a, _, b = rng[6:].partition("-")
                first, last = int(a), min(int(b) if b else len(data) - 1, len(data) - 1)
                self._send(206, data[first:last + 1], [("Content-Range", f"bytes {first}-{last}/{len(data)}")])
            else:
                self._send(200, data)
        elif mode == "cut":
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
        elif mode == "nolength":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
            self.close_connection = True
        elif mode == "truncate":
            self._send(200, data[: len(data) // 2])
        elif mode == "badcrc":
            bad = bytearray(data)
            bad[-8] ^= 0xFF  # the gzip trailer: CRC-32 (4 bytes), then the length
            self._send(200, bytes(bad))
        else:
            self._send(400, b"unknown mode")


def start(folder):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.folder = folder
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def gzip_bytes(data):
    return gzip.compress(data, compresslevel=6)
