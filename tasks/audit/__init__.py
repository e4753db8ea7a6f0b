"""What auditors ask: the queries over occurrences, the ledger and reminders, their views as tables, the exports (xlsx, csv, html) and the progress shown as artifacts."""
