"""ASGI entry point, for servers that speak ASGI."""

import os

from django.core.asgi import get_asgi_application

from config import garbage

garbage.tune()  # collect cyclic garbage less often than Python's default (config/garbage.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()
