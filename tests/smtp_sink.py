"""An in-process SMTP server (aiosmtpd) that keeps what it accepts: the tests' mail sink."""

import email
import email.policy
import threading

from aiosmtpd.controller import Controller

from tests.live import free_port


class SinkHandler:
    """Keeps every accepted message. ``hold_at(n)`` makes the n-th message wait (unaccepted)
    until ``release()``, so a test can kill the sender while it is mid-SMTP."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self._hold_at = None
        self.holding = threading.Event()
        self._release = threading.Event()
        self._seen = 0

    def hold_at(self, n: int):
        self._hold_at, self._seen = n, 0
        self.holding.clear()
        self._release.clear()

    def release(self):
        self._release.set()

    async def handle_DATA(self, server, session, envelope):
        self._seen += 1
        if self._hold_at is not None and self._seen == self._hold_at:
            self.holding.set()
            # Blocks the sink's event loop on purpose: nothing else is accepted meanwhile.
            self._release.wait(timeout=60)
            self._hold_at = None
            return "451 4.3.0 Sender went away, not accepted"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


class SmtpSink:
    def __init__(self):
        self.port = free_port()
        self.handler = SinkHandler()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def clear(self):
        with self.handler.lock:
            self.handler.messages.clear()

    def delivery_counts(self) -> dict[int, int]:
        """How many received messages carried each reminder delivery id."""
        counts: dict[int, int] = {}
        for _, message in self.messages:
            for part in (message["X-Avtaleflyt-Reminders"] or "").split(","):
                if part:
                    counts[int(part)] = counts.get(int(part), 0) + 1
        return counts
