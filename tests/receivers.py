"""Real receivers on loopback: an HTTP endpoint for apprise's json:// and an SMTP server."""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

REF = re.compile(r"(?:督办编号|Ref)：([R\d,]+)")


def reminder_ids(body: str) -> list[int]:
    match = REF.search(body)
    return [int(x[1:]) for x in match.group(1).split(",")] if match else []


class HttpReceiver:
    """Collects JSON posts; `/fail` answers 500, `/status-NNN…` answers NNN, `/slow` waits
    `delay` seconds first."""

    def __init__(self, delay: tuple[float, float] = (0.0, 0.0)) -> None:
        self.posts: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.delay = delay
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length) or b"{}")
                status = re.match(r"/status-(\d{3})", self.path)
                if self.path.startswith("/fail") or status:
                    self.send_response(int(status.group(1)) if status else 500)
                    self.end_headers()
                    return
                time.sleep(random.uniform(*receiver.delay))
                if self.path.startswith("/hang"):
                    time.sleep(30)
                with receiver.lock:
                    receiver.posts.append({"path": self.path, **payload})
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 512  # the default backlog of 5 drops bursts of connections

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, secret: str = "") -> str:
        auth = f"duban:{secret}@" if secret else ""
        return f"json://{auth}127.0.0.1:{self.port}/{path}?cto=2&rto=2"

    def counts(self) -> Counter[int]:
        with self.lock:
            return Counter(i for post in self.posts for i in reminder_ids(post.get("message", "")))

    @contextmanager
    def running(self) -> Iterator[HttpReceiver]:
        self.thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


class SmtpReceiver:
    """Takes every message, except for a recipient whose address starts with `nobody`: that one
    is refused with 550, as a server refuses an unknown mailbox."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        receiver = self

        class Handler:
            async def handle_RCPT(
                self, server: Any, session: Any, envelope: Any, address: str, options: Any
            ) -> str:
                if address.startswith("nobody"):
                    return "550 5.1.1 mailbox unavailable"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                parsed = message_from_bytes(envelope.content)
                payload = (
                    parsed.get_payload(decode=True)
                    if not parsed.is_multipart()
                    else parsed.get_payload()[0].get_payload(decode=True)
                )
                receiver.messages.append(
                    {
                        "to": envelope.rcpt_tos,
                        "subject": str(make_header(decode_header(parsed["Subject"]))),
                        "body": payload.decode(parsed.get_content_charset() or "utf-8"),
                        "attachments": {
                            part.get_filename(): part.get_payload(decode=True)
                            for part in parsed.walk()
                            if part.get_filename()
                        },
                    }
                )
                return "250 OK"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    @contextmanager
    def running(self) -> Iterator[SmtpReceiver]:
        self.controller.start()
        try:
            yield self
        finally:
            self.controller.stop()

    def url(self, to: str) -> str:
        return (
            f"mailto://127.0.0.1:{self.port}?from=duban@bureau.example&to={to}"
            f"&mode=insecure&format=text"
        )


class MqttReceiver:
    """Subscribes to a fresh topic tree on the local broker (Mosquitto, 127.0.0.1:1883)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 1883) -> None:
        import uuid

        import paho.mqtt.client as mqtt

        self.host, self.port = host, port
        self.root = f"duban-test/{uuid.uuid4().hex}"
        self.messages: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.subscribed = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_connect = lambda c, *_: c.subscribe(f"{self.root}/#", qos=1)
        self.client.on_subscribe = lambda *_: self.subscribed.set()
        self.client.on_message = self._received

    def _received(self, client: Any, userdata: Any, msg: Any) -> None:
        with self.lock:
            self.messages.append({"topic": msg.topic, "body": msg.payload.decode("utf-8")})

    def url(self, topic: str) -> str:
        return f"mqtt://{self.host}:{self.port}/{self.root}/{topic}?qos=1"

    def counts(self) -> Counter[int]:
        with self.lock:
            return Counter(i for m in self.messages for i in reminder_ids(m["body"]))

    @contextmanager
    def running(self) -> Iterator[MqttReceiver]:
        self.client.connect(self.host, self.port)
        self.client.loop_start()
        try:
            if not self.subscribed.wait(10):
                raise RuntimeError("MQTT broker did not confirm the subscription")
            yield self
        finally:
            self.client.loop_stop()
            self.client.disconnect()
