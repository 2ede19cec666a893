"""Examples for the token endpoint, as in Dintero's authentication guide (reference §7.1)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

TOKEN_REQUEST: Json = {
    "grant_type": "client_credentials",
    "audience": "https://api.dintero.com/v1/accounts/T11223344",
}

TOKEN_RESPONSE: Json = {
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzaG9wcGluZy1hcGkiLCJzdWIi"
    "OiI3ZjNhMGM1NS0yYjFlLTRiOGUtOWM1NS0yYTVmNGQxZThiMTAiLCJhY2NvdW50X2lkIjoiVDExMjIzMzQ0In0"
    ".8Zk2Wq4sV0xv5mJ0eM3yQ2b6Tn1cHf7dLr9aKu3pXgE",
    "token_type": "Bearer",
    "expires_in": 14400,
}
