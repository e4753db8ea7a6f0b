"""`duban api`: the auditors' queries and the units' submissions over HTTP (FastAPI), and the
units' portal pages under /portal (`duban.portal`).

A thin layer: every answer comes from `tasks.audit` and every change from `tasks.work.actions`,
exactly as in the CLI. Handlers live in routers (`reads`, `changes`), their shared pieces in
`deps`. Bearer tokens with roles:
- auditor: read everything, change nothing;
- unit: read and act on its own occurrences only;
- coordinator: everything.
No or unknown token → 401, a role or unit that may not → 403, always a JSON body
`{"error": code, "message": 中文说明}`. Every request is logged with who asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from duban.api import changes, reads
from duban.api.deps import ApiError, Principal, log
from duban.flows.events import announce
from duban.portal import PortalConfig
from duban.portal import install as install_portal
from duban.runtime import get_settings
from duban.tasks.timeline.clock import system_now
from duban.tasks.work.evidence import EvidenceStore


def default_portal() -> PortalConfig:
    settings = get_settings()
    return PortalConfig(
        key=settings.signing_key(),
        store=EvidenceStore(settings.effective_evidence_url, settings.evidence_max_mb << 20),
        secure_cookies=(settings.portal_url or "").startswith("https://"),
    )


def create_app(
    engine: Engine,
    clock: Callable[[], dt.datetime] | None = None,
    portal: PortalConfig | None = None,
    inbox: bool = False,
    trusted_proxies: str | None = None,
) -> FastAPI:
    """The API under /api and the unit portal under /portal (and a replay's inbox under /inbox).
    `clock` is plan time (a replay's, or the system's); credentials expire in wall time.

    A request's address — what the portal's throttle counts and the ledger records — is the
    peer's, or, when the peer is one of `trusted_proxies` (`DUBAN_TRUSTED_PROXIES`: addresses
    and networks, comma-separated), the client its `X-Forwarded-For` names (uvicorn's
    `ProxyHeadersMiddleware`, in the app so that it holds under any server). Run the server
    itself without proxy headers (`duban api` does), or it trusts 127.0.0.1 on its own."""
    app = FastAPI(
        title="Duban 督办 API",
        description="审计查询与单位报送。所有请求都需要 `Authorization: Bearer <令牌>`。",
        version="1",
    )
    app.state.engine, app.state.clock = engine, clock or system_now
    app.state.wall = portal.wall if portal else system_now
    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.middleware("http")(_log)
    app.include_router(reads.router)
    app.include_router(changes.router)
    install_portal(
        app,
        portal or default_portal(),
        lambda what, occurrence_id, actor: announce(engine, what, occurrence_id, actor),
    )
    if inbox:
        from duban.inbox import router

        app.include_router(router)
    trusted = get_settings().trusted_proxies if trusted_proxies is None else trusted_proxies
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)
    return app


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return JSONResponse({"error": exc.error, "message": exc.message}, status_code=exc.status)


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    fields = "、".join(".".join(str(p) for p in e["loc"][1:]) for e in exc.errors())
    return JSONResponse(
        {"error": "invalid", "message": f"请求参数无效：{fields}", "detail": exc.errors()},
        status_code=422,
    )


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    return JSONResponse({"error": "http", "message": str(exc.detail)}, status_code=exc.status_code)


async def _log(request: Request, call_next: Any) -> Any:
    """Every request, with who asked (the token's prefix, never the token) and from where."""
    response = await call_next(request)
    principal: Principal | None = getattr(request.state, "principal", None)
    log.info(
        "%s %s → %s by %s from %s",
        request.method,
        redact(request.url.path),
        response.status_code,
        f"{principal.prefix}…({principal.role}:{principal.unit or '-'})"
        if principal
        else "anonymous",
        request.client.host if request.client else "-",
    )
    return response


def redact(path: str) -> str:
    """A portal link's token never reaches the log."""
    return "/portal/l/…" if path.startswith("/portal/l/") else path
