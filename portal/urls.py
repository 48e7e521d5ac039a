"""The site's pages that show the domain apps together. Their names are the site's own (no
namespace): the domain apps' pages are named within their app (`strategies:`, `governance:`,
`consultation:`), and link here only by these names."""

from django.urls import path

from . import about, public, strategy_page, views
from .api import token_views
from .calendar import views as calendar_views
from .exchange import views as exchange_views
from .opendata import views as open_data_views
from .reminders import views as reminder_views
from .reports import progress_files
from .reports import views as report_views

GATE = "strategies/<slug:slug>/route/gates/<int:pk>"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("timeline/", views.timeline, name="timeline"),
    # The footer's pages about Waymark itself; /accessibility/ is an address the design keeps.
    path("accessibility/", about.accessibility_statement, name="accessibility"),
    path("privacy/", about.privacy_notice, name="privacy"),
    path("strategies/<slug:slug>/", strategy_page.strategy_detail, name="strategy"),
    path(
        "strategies/<slug:slug>/history/", strategy_page.strategy_history, name="strategy-history"
    ),
    path("strategies/<slug:slug>/export.json", exchange_views.export_json, name="strategy-export"),
    path("strategies/<slug:slug>/report/", report_views.strategy_report, name="strategy-report"),
    path(f"{GATE}/report/", report_views.gate_report, name="gate-report"),
    path(f"{GATE}/report/start/", report_views.start_report, name="start-report"),
    path(f"{GATE}/report/edit/", report_views.edit_report, name="edit-report"),
    path(f"{GATE}/report/refresh/", report_views.refresh_report, name="refresh-report"),
    path(f"{GATE}/report/print/", report_views.print_report, name="print-report"),
    path(f"{GATE}/report.docx", report_views.report_docx, name="report-docx"),
    path(f"{GATE}/report.pdf", report_views.report_pdf, name="report-pdf"),
    # A progress report's files: here, with the committee reports' Word and PDF building.
    path(
        "strategies/<slug:slug>/delivery/reports/<int:pk>.docx",
        progress_files.progress_docx,
        name="progress-report-docx",
    ),
    path(
        "strategies/<slug:slug>/delivery/reports/<int:pk>.pdf",
        progress_files.progress_pdf,
        name="progress-report-pdf",
    ),
    path("published/", public.published_list, name="published-list"),
    path("published/<slug:slug>/", public.published_detail, name="published-strategy"),
    # Open data: addresses people's reporting tools keep (strategies, decisions,
    # you-said-we-did), so never renamed.
    path("open-data/", open_data_views.open_data_page, name="open-data"),
    path("open-data/<slug:slug>.json", open_data_views.dataset_json, name="open-data-json"),
    path("open-data/<slug:slug>.csv", open_data_views.dataset_csv, name="open-data-csv"),
    path("calendar.ics", calendar_views.calendar_feed, name="calendar-feed"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/reset/", calendar_views.calendar_reset, name="calendar-reset"),
    path("account/reminders/", reminder_views.reminder_preferences, name="account-reminders"),
    path("account/api-tokens/", token_views.api_tokens, name="account-api-tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        token_views.revoke_api_token,
        name="account-api-token-revoke",
    ),
]
