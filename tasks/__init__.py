"""Domain functions (pure where possible) and the thin Prefect tasks that wrap them."""
