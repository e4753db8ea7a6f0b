"""督办通报: the periodic bulletin — composed, rendered, stored, sent."""
