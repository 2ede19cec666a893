"""Orders: amounts and (later) the order API."""
