"""One module per command group; each command is a few lines around a `tasks/` function."""
