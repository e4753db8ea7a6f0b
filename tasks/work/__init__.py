"""What people do to an occurrence: the actions (签收, 报送, 审核, 延期), the hash-chained ledger they append to, and the evidence files they attach."""
