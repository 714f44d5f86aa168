"""Local HTTP servers that follow helpdesk APIs' documented requests and responses, keeping ticket state."""
