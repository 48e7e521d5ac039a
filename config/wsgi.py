"""WSGI entry point, served by gunicorn in production (`gunicorn config.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

from config import garbage

garbage.tune()  # collect cyclic garbage less often than Python's default (config/garbage.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# WeasyPrint takes half a second to import: loaded here, as the worker starts, rather than by
# the first request for a committee report's PDF. Only servers import this module; tests and
# management commands never pay for it. Without WeasyPrint or Pango the server still starts
# (with a warning), and the report page says why there is no PDF.
from portal.reports.files import pdf_unavailable_reason  # noqa: E402

pdf_unavailable_reason()
