"""The delivery app's pages: a strategy's delivery plan (views/plan.py) and its indicators over
time (views/indicators.py, views/indicator_imports.py)."""

from django.urls import path

from .views import indicator_imports, indicators, plan, reports

app_name = "delivery"

DELIVERY = "strategies/<slug:slug>/delivery/"
INDICATOR = "strategies/<slug:slug>/indicators/<int:pk>/"
REPORT = f"{DELIVERY}reports/<int:pk>/"

urlpatterns = [
    # plan.py's pages
    path("strategies/<slug:slug>/delivery/", plan.delivery_plan, name="plan"),
    path(f"{DELIVERY}actions/<int:pk>/", plan.action_page, name="action"),
    path(f"{DELIVERY}actions/<int:pk>/updates/add/", plan.add_update, name="add-update"),
    path(f"{DELIVERY}actions/<int:pk>/milestones/add/", plan.add_milestone, name="add-milestone"),
    path(f"{DELIVERY}updates/<int:pk>/correct/", plan.correct_update, name="correct-update"),
    path(f"{DELIVERY}milestones/<int:pk>/edit/", plan.edit_milestone, name="edit-milestone"),
    path(
        f"{DELIVERY}milestones/<int:pk>/complete/",
        plan.complete_milestone,
        name="complete-milestone",
    ),
    path(f"{DELIVERY}milestones/<int:pk>/remove/", plan.remove_milestone, name="remove-milestone"),
    # reports.py's pages (the Word file and the PDF are the portal's: portal/urls.py)
    path(f"{DELIVERY}reports/", reports.report_list, name="progress-reports"),
    path(f"{DELIVERY}reports/start/", reports.start, name="start-progress-report"),
    path(REPORT, reports.report_page, name="progress-report"),
    path(f"{REPORT}meeting/", reports.take_to_meeting, name="progress-report-meeting"),
    path(f"{REPORT}send/", reports.send, name="send-progress-report"),
    path(f"{REPORT}print/", reports.print_report, name="progress-report-print"),
    # indicators.py's pages
    path("strategies/<slug:slug>/indicators/", indicators.indicator_list, name="indicators"),
    path(INDICATOR, indicators.indicator_detail, name="indicator"),
    path(f"{INDICATOR}values/<int:value_pk>/", indicators.value_edit, name="value-edit"),
    path(f"{INDICATOR}values/<int:value_pk>/remove/", indicators.value_remove, name="value-remove"),
    path(f"{INDICATOR}import/", indicator_imports.upload, name="indicator-import"),
    path(f"{INDICATOR}import/<str:sha>/", indicator_imports.check, name="indicator-import-check"),
]
