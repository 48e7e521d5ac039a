"""The delivery app in the Django admin: the plan (admin_plan.py) and the indicators' values
(admin_indicators.py)."""

from . import admin_indicators, admin_plan  # noqa: F401 (they register their models)
