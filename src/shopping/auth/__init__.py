"""API clients, the token endpoint, bearer-token verification and scope checks."""
