"""Duban (督办), one package in layers — the tables (`models/`), the domain (`tasks/`), the
runtime settings, the flows (`flows/`), the deployments (`deployments/`) and, in this folder,
the shells over them: the CLI, the API and the unit portal. See ARCHITECTURE.md."""

__version__ = "0.1.0"
