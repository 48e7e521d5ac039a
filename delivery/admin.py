"""The delivery app in the Django admin: the plan (admin_plan.py) and the indicators' values
(admin_indicators.py) and the progress reports (admin_reports.py)."""

from . import admin_indicators, admin_plan, admin_reports  # noqa: F401 (they register models)
