"""The delivery app's pages: a strategy's delivery plan (views/plan.py) and its indicators over
time (views/indicators.py)."""

from django.urls import path

from .views import indicators, plan

app_name = "delivery"

urlpatterns = [
    # plan.py's pages
    # indicators.py's pages
]
