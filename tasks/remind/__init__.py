"""督办 reminders: the policy (which stage is due for whom, the colours), the sweep that writes the outbox, the dispatcher that sends it, the apprise adapter and the message texts."""
