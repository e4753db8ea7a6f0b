"""The unit portal: server-rendered pages under /portal, served by `duban api`.

A responsible unit opens its personal link from a reminder (signed, expiring, revocable;
`tasks.access.links`), sees its open occurrences by urgency, and acknowledges, reports (with
evidence files) or asks for more time; a coordinator signs in with a coordinator API token and
accepts, returns or decides extensions. No script, no CDN, no build step: plain HTML forms that
work in DingTalk's and WeCom's in-app browsers on a closed network.

Every action is one of `tasks.work.actions`, exactly as `duban submit` / `duban review` and the
API call it; then the same Prefect events are published and a waiting flow run is woken.
Every form carries a CSRF token; bad links and tokens are rate-limited per address; every
ledger row written here names the unit or token and the address it came from.

Routers: `signin` (links, login), `unit` (the unit's list and actions), `review` (the
coordinators'), `occurrence` (one occurrence's page and files); their plumbing is in `web`,
what the pages show in `views`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from duban.portal import occurrence, review, signin, unit
from duban.portal.web import TEMPLATES, Announce, PortalConfig, PortalError, Throttle, page

__all__ = ["TEMPLATES", "PortalConfig", "Throttle", "install"]


def install(app: FastAPI, config: PortalConfig, announce: Announce) -> None:
    """Add the portal's pages to the API app (whose state holds the engine and the clock)."""
    app.state.portal, app.state.announce = config, announce
    app.add_exception_handler(PortalError, _portal_error)  # type: ignore[arg-type]
    for module in (signin, unit, review, occurrence):
        app.include_router(module.router)


async def _portal_error(request: Request, exc: PortalError) -> HTMLResponse:
    return page(request, "message.html", {"message": exc.message}, status=exc.status)
