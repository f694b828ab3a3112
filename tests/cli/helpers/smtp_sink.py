# SPDX-License-Identifier: MIT
# A real SMTP server for the channel tests (Debian's python3-aiosmtpd):
#   smtp_sink.py PORT OUTDIR
# Every message received is written to OUTDIR/msg-N.eml, with the envelope
# recipients in an X-Envelope-To header first. OUTDIR/ready appears when it
# listens. Runs until killed.
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        path = os.path.join(self.outdir, "msg-%d.eml" % self.n)
        with open(path + ".tmp", "wb") as f:
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(b"X-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    ctl = Controller(Sink(outdir), hostname="127.0.0.1", port=port)
    ctl.start()
    open(os.path.join(outdir, "ready"), "w").close()
    signal.signal(signal.SIGTERM, lambda *_: (ctl.stop(), sys.exit(0)))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
