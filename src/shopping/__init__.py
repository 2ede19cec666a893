"""shopping-api: a self-hostable server that speaks the Dintero Shopping API."""

__version__ = "0.1.0"
