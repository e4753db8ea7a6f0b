"""The one apprise adapter: a message to one channel tag, or a typed error.

apprise answers with an `AppriseResult`, not an exception; this turns a failure into
`DeliveryError` carrying the channel's tag and apprise's own account of it — never a URL.
The configuration (apprise's YAML or TEXT format, with the channel URLs and their
secrets) is read from a file outside the plan and the database.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import apprise


class DeliveryError(Exception):
    """A message not delivered; `permanent` when sending it again as configured cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


HTTP_STATUS = re.compile(r"error=(\d{3})\b")  # how apprise's HTTP plugins log a refusal
RETRYABLE_4XX = {408, 429}  # request timeout, too many requests: the next try may pass


URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def without_urls(line: str) -> str:
    """A log line fit to keep: any URL in it replaced by `<url>`."""
    return URL.sub("<url>", line)


def is_permanent(lines: Iterable[str]) -> bool:
    """Whether a failure, as apprise logged it, can never succeed as configured: an HTTP 4xx
    other than 408 and 429 (a revoked token's 401/403, a removed webhook's 404/410, a
    malformed request's 400). Everything else — an HTTP 5xx, 408, 429, a timeout, a refused
    connection — may pass later and is retried with backoff.

    What apprise (2.0) does not tell, and so is retried like any failure: a 429's Retry-After;
    a mail server's reply code (a refused recipient's 550 is logged at DEBUG only, and only
    "sending failed" at WARNING — the same words as a greylisting 451 that will pass); a
    robot answering HTTP 200 with an error in its body (DingTalk's `errcode`), which apprise
    counts as delivered.
    """
    return any(
        400 <= int(code) < 500 and int(code) not in RETRYABLE_4XX
        for line in lines
        for code in HTTP_STATUS.findall(line)
    )


@dataclass(frozen=True)
class Message:
    title: str
    body: str  # markdown: DingTalk, WeCom and Feishu render it; e-mail with format=text shows it as is
    # files to attach (a bulletin's xlsx and HTML report): e-mail and json:// carry them,
    # channels without attachments (DingTalk, WeCom robots) send the text alone
    attachments: tuple[Path, ...] = ()


def _no_channel(tag: str) -> DeliveryError:
    return DeliveryError(f"标签 {tag} 没有配置任何通道", permanent=True)


class Transport(Protocol):
    def send(self, tag: str, message: Message) -> None: ...


class AppriseTransport:
    """Sends through the channels an apprise config file defines, by tag.

    Throughput: apprise runs any notify() that has a deadline (`timeout=`), and any fan-out to
    several URLs, on one process-wide `ThreadPoolExecutor()` — min(32, cores + 4) threads, 6 on
    this machine — so with a 100 ms endpoint it tops out near 55 messages a second however many
    threads call it. A single service without a deadline (`notify()` without `timeout=`, and an
    asset with `service_timeout=0`, apprise's default being 60 s) is called in the caller's
    thread, so this adapter sends one tag's services per call from the dispatcher's own bounded
    pool; each plugin's connect/read timeouts (apprise's `cto`/`rto`, SMTP's socket
    timeout) still bound a dead channel.
    """

    def __init__(
        self, config_path: Path | None = None, timeout: float | None = None, *, text: str = ""
    ) -> None:
        """From an apprise config file, or from its `text` (e.g. a Prefect Secret's value)."""
        self.timeout = timeout
        # service_timeout=0: no per-service deadline, so apprise calls the plugin in our thread
        asset = apprise.AppriseAsset(service_timeout=0)
        config = apprise.AppriseConfig(asset=asset)
        if config_path is not None and not config.add(str(config_path)):
            raise DeliveryError(f"无法读取 apprise 配置文件 {config_path}", permanent=True)
        if config_path is None and not (text.strip() and config.add_config(text)):
            raise DeliveryError("apprise 配置内容为空或无法解析", permanent=True)
        # Parsed once. Each plugin instance keeps its own pace (apprise waits between two
        # sends of one instance), so reusing them across sweeps respects each service's limit;
        # one lock per tag keeps two threads off the same instances.
        try:
            self._services = list(config.services())
        except Exception as exc:  # apprise parses the file only now: a broken one raises here
            raise DeliveryError(
                f"apprise 配置无法解析（{type(exc).__name__}）", permanent=True
            ) from None
        self._by_tag: dict[str, list[apprise.NotifyBase]] = {}
        for service in self._services:
            for tag in service.tags:
                self._by_tag.setdefault(str(tag), []).append(service)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def tags(self) -> set[str]:
        return set(self._by_tag)

    def send(self, tag: str, message: Message) -> None:
        notifier = apprise.Apprise(asset=self._services[0].asset if self._services else None)
        for service in self._by_tag.get(tag, []):
            notifier.add(service)
        if not notifier:
            raise _no_channel(tag)
        with self._guard:
            lock = self._locks.setdefault(tag, threading.Lock())
        with lock:
            result = notifier.notify(
                body=message.body,
                title=message.title,
                body_format=apprise.NotifyFormat.MARKDOWN,
                attach=[str(p) for p in message.attachments] or None,
                timeout=self.timeout or 0,  # 0: no call deadline (apprise's default)
                log_level=logging.WARNING,
            )
        if bool(result):
            return
        status = result.status.name
        if status == "NOMATCH":
            raise _no_channel(tag)
        # No URL at all: apprise's privacy form masks passwords, not a token in the path
        # (json://host/<token>, as robots and gateways put it). The tag names the channel.
        outcomes = ", ".join(r.status.name for r in result)
        logged = [without_urls(entry.message) for entry in result.logs()]
        raise DeliveryError(
            " ".join([status, f"{tag}: {outcomes}", *logged[-1:]]).strip(),
            permanent=is_permanent(logged),
        )
