"""Operability: request ids, structured logs and Prometheus metrics.

Importing this package imports nothing else: the CLI sets `PROMETHEUS_MULTIPROC_DIR` before
anything imports `prometheus_client` (which reads it at import time).
"""
