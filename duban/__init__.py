"""Duban (督办): the CLI, the API and the settings — thin shells over `tasks/`."""

__version__ = "0.1.0"
