"""An in-process SMTP server (aiosmtpd) that keeps what it accepts: the tests' mail sink."""

import asyncio
import email
import email.policy
import queue
import threading

from aiosmtpd.controller import Controller

from tests.live import free_port


class SinkHandler:
    """Keeps every accepted message, and misbehaves on request like real mail servers do:

    - ``hold_at(n)``: the n-th message waits (unaccepted) until ``release()``, so a test can kill
      the sender while it is mid-SMTP;
    - ``stall_after_data(seconds, times)``: take the message, then answer 250 only after
      ``seconds`` (longer than the sender's timeout: it cannot know the message arrived);
    - ``stall_on(numbers, seconds)``: the same for the n-th messages (counted from the call), and
      each stalled one is announced on ``stalled`` as (client port, recipients), so a test can
      kill the very process that is waiting for the 250;
    - ``answer(reply, times)``: refuse the next ``times`` messages after DATA with ``reply``
      (e.g. "451 4.3.0 Try later" or "550 5.1.1 No such user"); ``times=None``: always.
    """

    def __init__(self):
        self.messages = []
        # The client address and port each kept message came from: one per SMTP connection.
        self.peers = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self._release = threading.Event()
        self.reset()

    def reset(self):
        self._hold_at, self._seen = None, 0
        self._stall, self._stall_times = 0.0, 0
        self._reply, self._reply_times = None, 0
        self._stall_on, self._stall_on_seconds = frozenset(), 0.0
        self.stalled = queue.Queue()
        self.holding.clear()
        self._release.clear()

    def hold_at(self, n: int):
        self._hold_at, self._seen = n, 0
        self.holding.clear()
        self._release.clear()

    def release(self):
        self._release.set()

    def stall_after_data(self, seconds: float, times: int = 1):
        self._stall, self._stall_times = seconds, times

    def stall_on(self, numbers, seconds: float):
        self._seen = 0
        self._stall_on, self._stall_on_seconds = frozenset(numbers), seconds

    def answer(self, reply: str, times: int | None = 1):
        self._reply, self._reply_times = reply, times

    def _keep(self, envelope, peer):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
            self.peers.append(peer)

    async def handle_DATA(self, server, session, envelope):
        self._seen += 1
        if self._hold_at is not None and self._seen == self._hold_at:
            self.holding.set()
            # Blocks the sink's event loop on purpose: nothing else is accepted meanwhile.
            self._release.wait(timeout=60)
            self._hold_at = None
            return "451 4.3.0 Sender went away, not accepted"
        if self._reply is not None and (self._reply_times is None or self._reply_times > 0):
            if self._reply_times is not None:
                self._reply_times -= 1
            return self._reply
        self._keep(envelope, session.peer)
        if self._seen in self._stall_on:
            self.stalled.put((session.peer[1], list(envelope.rcpt_tos)))
            await asyncio.sleep(self._stall_on_seconds)
        elif self._stall_times > 0:
            self._stall_times -= 1
            await asyncio.sleep(self._stall)
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
            self.handler.peers.clear()

    @property
    def connections(self) -> int:
        """How many SMTP connections the kept messages came over."""
        with self.handler.lock:
            return len(set(self.handler.peers))

    def delivery_counts(self) -> dict[int, int]:
        """How many received messages carried each reminder delivery id."""
        counts: dict[int, int] = {}
        for _, message in self.messages:
            for part in (message["X-Avtaleflyt-Reminders"] or "").split(","):
                if part:
                    counts[int(part)] = counts.get(int(part), 0) + 1
        return counts
