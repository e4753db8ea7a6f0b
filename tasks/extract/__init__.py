"""From a raw Chinese work report to structure: clean → outline → targets and tasks."""
