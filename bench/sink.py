"""A lean SMTP sink for ``bench.emails``: a real SMTP server on asyncio that receives every byte
and keeps, per message, its Message-ID and the ledger rows it carries.

aiosmtpd (the tests' sink) cost about 2 ms of CPU per digest, a quarter of what the sender
spends, on the same two cores as the workers it measures (docs/performance.md, "Emails per
second"). This one speaks the part of SMTP a sender uses (EHLO/HELO, MAIL, RCPT, DATA with dot
transparency, RSET, NOOP, QUIT; anything else is 502), answers each command line as it comes,
and does no more per message than find the end of DATA and read two headers.
"""

import asyncio
import re
import threading

_HEADER = re.compile(rb"^(Message-ID|X-Avtaleflyt-Reminders):[ \t]*(.*)$", re.I | re.M)
_FOLD = re.compile(rb"\r\n[ \t]+")
_END = b"\r\n.\r\n"


class _Session(asyncio.Protocol):
    def __init__(self, sink):
        self.sink, self.buffer, self.in_data, self.transport = sink, b"", False, None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 bench-sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while self.buffer:
            if self.in_data:
                # The DATA line's own CRLF counts as the line end before an empty message's dot.
                found = (b"\r\n" + self.buffer).find(_END, max(0, self._searched - 4))
                if found < 0:
                    self._searched = len(self.buffer) + 2
                    return
                message, self.buffer = self.buffer[: max(found, 0)], self.buffer[found + 3 :]
                self.in_data = False
                self.sink.received(message)
                self.transport.write(b"250 OK\r\n")
                continue
            line, found, rest = self.buffer.partition(b"\r\n")
            if not found:
                return
            self.buffer = rest
            self._command(line)

    def _command(self, line: bytes):
        verb = line[:4].upper()
        if verb == b"EHLO":
            self.transport.write(b"250-bench-sink\r\n250-8BITMIME\r\n250 SIZE 33554432\r\n")
        elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            self.transport.write(b"250 OK\r\n")
        elif verb == b"DATA":
            self.in_data, self._searched = True, 0
            self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 Bye\r\n")
            self.transport.close()
        else:
            self.transport.write(b"502 Command not implemented\r\n")


class LeanSink:
    """``start()`` serves on 127.0.0.1:``port`` in a thread; ``messages`` holds, per message
    received, ``(message_id, [ledger row ids])``; ``bytes`` counts what DATA carried."""

    def __init__(self, port: int):
        self.port, self.messages, self.bytes = port, [], 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def received(self, message: bytes):
        self.bytes += len(message)
        head = _FOLD.sub(b" ", message.partition(b"\r\n\r\n")[0])
        found = {name.lower(): value.strip() for name, value in _HEADER.findall(head)}
        rows = found.get(b"x-avtaleflyt-reminders", b"").replace(b" ", b"")
        self.messages.append(
            (found.get(b"message-id", b"").decode(), [int(r) for r in rows.split(b",") if r])
        )

    def start(self):
        server = self.loop.run_until_complete(
            self.loop.create_server(lambda: _Session(self), "127.0.0.1", self.port)
        )
        self._server = server
        self.thread.start()

    def stop(self):
        def close():
            self._server.close()
            self.loop.stop()

        self.loop.call_soon_threadsafe(close)
        self.thread.join(timeout=10)
