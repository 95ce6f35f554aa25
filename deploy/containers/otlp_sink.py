#!/usr/bin/env python3
"""Stands in for the OpenTelemetry Collector: takes OTLP/HTTP trace exports on PORT and counts the
export requests per service.name (read from the protobuf without a schema: the attribute's key, then
AnyValue.string_value).

  otlp_sink.py PORT COUNTS_FILE        (COUNTS_FILE is rewritten as "service count" lines)
"""
import re
import sys
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVICE_NAME = re.compile(rb"\n\x0cservice\.name\x12[\x00-\x7f]\x0a([\x00-\x7f])")
MAX_BODY = 16 * 1024 * 1024
counts = Counter()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if self.path != "/v1/traces" or not 0 < length <= MAX_BODY:
            self.send_error(400)
            return
        body = self.rfile.read(length)
        for match in SERVICE_NAME.finditer(body):
            start = match.end()
            counts[body[start:start + match.group(1)[0]].decode("utf-8", "replace")] += 1
        with open(sys.argv[2], "w", encoding="utf-8") as out:
            out.writelines(f"{name} {count}\n" for name, count in sorted(counts.items()))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
