"""Order events: the list with its combined `state`, and service (status) events."""
