"""Prefect flows: orchestration only; every fact they learn is written to the database."""
