"""The read-only HTTP API for reporting tools (`/api/v1/`, portal/api/api.py) and the tokens
that open it (tokens.py, token_views.py)."""
