"""Sources that put `TicketEvent`s on the inbound topic, and writers that take actions back to helpdesks."""
