"""Settings from the environment (and an optional `.env`), read once at the edge."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUBAN_", env_file=".env", extra="ignore")

    data_dir: Path = Path.home() / ".duban"
    database_url: str | None = None
    apprise_config: Path | None = None  # an apprise YAML/TEXT file with the channel URLs
    apprise_secret: str | None = None  # or: the name of a Prefect Secret block holding that text
    lang: Literal["zh-CN", "en"] = "zh-CN"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'duban.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
