"""Signing in: a unit by its personal link (signed, expiring, revocable), a coordinator with
a coordinator API token; either way a short session cookie, re-checked on every request."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from duban.models.db import session_scope
from duban.portal.web import (
    LOGIN_COOKIE,
    PortalError,
    address,
    config,
    engine,
    log,
    page,
    posted,
    redirect,
)
from duban.tasks.access.links import (
    LinkRefused,
    csrf_ok,
    csrf_token,
    session_cookie,
    session_expiry,
    verify_link,
)
from duban.tasks.access.tokens import authenticate

router = APIRouter(prefix="/portal", include_in_schema=False)
LOGIN_TITLE = "督查室登录"


@router.get("/l/{token}")
def open_link(token: str, request: Request, o: int | None = None) -> Response:
    settings, where = config(request), address(request)
    settings.throttle.check(engine(request), where, settings.wall())
    try:
        with session_scope(engine(request)) as session:
            link = verify_link(session, settings.key, token, settings.wall())
    except LinkRefused as exc:  # counted once the link's transaction is over (SQLite: one writer)
        settings.throttle.failed(engine(request), where, settings.wall())
        log.warning("portal link refused (%s) from %s", exc.reason, where)
        raise PortalError(401, str(exc)) from None
    expires = session_expiry(settings.wall(), link.expires_at)
    cookie = session_cookie(settings.key, "u", link.id or 0, expires)
    target = link.occurrence_id or o
    log.info("portal link %s opened by %s from %s", link.id, link.unit, where)
    return redirect(request, f"/portal/o/{target}" if target else "/portal/", cookie, expires)


def login_form(request: Request, nonce: str, error: str | None = None) -> HTMLResponse:
    context = {"title": LOGIN_TITLE, "csrf": csrf_token(config(request).key, f"login:{nonce}")}
    if error:
        context["error"] = error
    return page(request, "login.html", context, status=401 if error else 200)


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    """The login form has no session to derive its CSRF token from: a random nonce in a
    strict cookie stands in (double submit), so no other site can sign someone in."""
    nonce = secrets.token_urlsafe(16)
    response = login_form(request, nonce)
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=3600,
        path="/portal/login",
        httponly=True,
        samesite="strict",
        secure=config(request).secure_cookies,
    )
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    settings, where = config(request), address(request)
    settings.throttle.check(engine(request), where, settings.wall())
    form = await request.form(max_files=0, max_fields=5)
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    offered = form.get("csrf")
    if not nonce or not csrf_ok(
        settings.key, f"login:{nonce}", offered if isinstance(offered, str) else None
    ):
        raise PortalError(403, "登录表单已失效，请刷新登录页后重试。")
    secret = str(form.get("token") or "").strip()
    with session_scope(engine(request)) as session:
        token = authenticate(session, secret, settings.wall()) if secret else None
    if token is None or token.role != "coordinator":  # counted after that transaction
        settings.throttle.failed(engine(request), where, settings.wall())
        log.warning("portal login refused from %s", where)
        return login_form(request, nonce, "令牌无效、已吊销，或不是督办协调令牌。")
    expires = session_expiry(settings.wall(), None)
    cookie = session_cookie(settings.key, "c", token.id or 0, expires)
    log.info("portal coordinator token %s signed in from %s", token.id, where)
    return redirect(request, "/portal/review", cookie, expires)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await posted(request)
    return redirect(request, "/portal/login", "", None)
