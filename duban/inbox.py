"""The loopback inbox of a replay (`duban up` on a past plan year): every reminder as the unit
received it, with its portal link — what would otherwise have gone to DingTalk or e-mail.

apprise's `json://` channel posts `{"title", "message", "type"}` to `/inbox/<tag>`; the page at
`/inbox/` lists the messages, newest first, under the names of the units (and leaders) whose
channel the tag is. Only served when `DUBAN_INBOX` is set (`duban up` sets it for a replay):
it is a window for a newcomer, not a channel for production, and it keeps messages in memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from sqlmodel import col, select

from duban.models import Plan, Unit
from duban.models.db import session_scope
from duban.portal import TEMPLATES

KEPT = 5000  # the newest messages kept
LINK = re.compile(r"https?://[^\s<>\"']+")
router = APIRouter()


@dataclass(frozen=True)
class Received:
    at: dt.datetime  # wall time it arrived
    plan_at: dt.datetime  # the plan's time then (a replay runs ahead of the wall clock)
    tag: str
    title: str
    body: str


def linked(text: str) -> Markup:
    """The message, escaped, with its links clickable."""
    out, last = [], 0
    for match in LINK.finditer(text):
        out += [str(escape(text[last : match.start()])), _anchor(match.group(0))]
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _anchor(url: str) -> str:
    return f'<a href="{escape(url)}">{escape(url)}</a>'


def inbox(request: Request) -> deque[Received]:
    found: deque[Received] | None = getattr(request.app.state, "inbox", None)
    if found is None:
        found = request.app.state.inbox = deque(maxlen=KEPT)
    return found


@router.post("/inbox/{tag}", include_in_schema=False)
async def receive(tag: str, request: Request) -> dict[str, bool]:
    body: dict[str, Any] = await request.json()
    inbox(request).append(
        Received(
            at=request.app.state.wall(),
            plan_at=request.app.state.clock(),
            tag=tag,
            title=str(body.get("title") or ""),
            body=str(body.get("message") or ""),
        )
    )
    return {"ok": True}


def recipients(request: Request) -> tuple[dict[str, str], ZoneInfo]:
    """tag → the names of the units whose channel it is (their code when they name none);
    and the plan's time zone."""
    with session_scope(request.app.state.engine) as session:
        plan = session.exec(select(Plan).order_by(col(Plan.imported_at).desc())).first()
        units = session.exec(select(Unit).where(Unit.plan_id == plan.id)).all() if plan else []
    names: dict[str, list[str]] = {}
    for unit in units:
        for tag in unit.notify or [unit.code]:
            names.setdefault(tag, []).append(unit.name)
    zone = ZoneInfo(plan.timezone if plan else "Asia/Shanghai")
    return {tag: "、".join(found) for tag, found in names.items()}, zone


@router.get("/inbox/", response_class=HTMLResponse, include_in_schema=False)
def show(request: Request, tag: str | None = None) -> HTMLResponse:
    messages = [m for m in reversed(inbox(request)) if tag in (None, m.tag)]
    names, zone = recipients(request)
    return TEMPLATES.TemplateResponse(
        request,
        "inbox.html",
        {
            "title": "本机收件箱",
            "tag": tag,
            "name": names.get(tag or "", tag),
            "messages": [
                {
                    "at": m.at.astimezone(zone).strftime("%H:%M:%S"),
                    "plan_at": m.plan_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    "tag": m.tag,
                    "to": names.get(m.tag, m.tag),
                    "title": m.title,
                    "body": linked(m.body),
                }
                for m in messages[:500]
            ],
            "total": len(messages),
        },
    )
