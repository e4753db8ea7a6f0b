"""Who may act: API tokens (roles) and the units' signed portal links and sessions."""
