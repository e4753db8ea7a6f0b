"""Turning an imported plan into Prefect deployments: one per task, plus the sweep."""
