"""The OpenAPI document: security, headers, tags and examples on top of FastAPI's generator."""
