"""When things happen: the official calendar (workdays, 调休), where `now` comes from (the system clock or a replayed year), schedules, materializing occurrences and opening them."""
