# SPDX-License-Identifier: MIT
# A local HTTP receiver standing in for an SMS/voice gateway:
#   http_sink.py PORT OUTFILE [STATUS] [DELAY_SECONDS] [FAIL_FIRST]
# Each POST is appended to OUTFILE as one JSON line
#   {"path", "authorization", "idempotencyKey", "contentType", "body"}
# and answered with STATUS (default 200) after DELAY_SECONDS; the first
# FAIL_FIRST requests get 503 instead. OUTFILE.ready appears when it listens.
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, OUT = int(sys.argv[1]), sys.argv[2]
STATUS = int(sys.argv[3]) if len(sys.argv) > 3 else 200
DELAY = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
FAIL_FIRST = int(sys.argv[5]) if len(sys.argv) > 5 else 0
seen = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        seen += 1
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        with open(OUT, "a") as f:
            f.write(json.dumps({
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "idempotencyKey": self.headers.get("Idempotency-Key"),
                "contentType": self.headers.get("Content-Type"),
                "body": body,
            }) + "\n")
        time.sleep(DELAY)
        status = 503 if seen <= FAIL_FIRST else STATUS
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok":%s}' % (b"true" if status < 300 else b"false"))

    def log_message(self, *args):
        pass


srv = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
open(OUT + ".ready", "w").close()
srv.serve_forever()
