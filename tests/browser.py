"""Debian's chromium for end-to-end tests (Playwright drives the system browser; nothing is
downloaded). Missing, the browser tests are skipped on a developer's machine — and fail in CI
(`CI=true`), where `.ci/run` installs it: CI must never be green without them."""

from __future__ import annotations

import os
import shutil

import pytest

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def system_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    """The browser's path; else skip (or, in CI, fail)."""
    found = system_chromium()
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Debian's chromium is missing in CI: .ci/run must install it")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    return found
