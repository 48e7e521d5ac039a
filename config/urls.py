from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from strategies import account_views, calendar_views, public_views
from strategies import views as strategy_views

admin.site.site_header = "Waymark administration"
admin.site.site_title = "Waymark admin"
admin.site.index_title = "Organisations, users, strategies and their history"

urlpatterns = [
    path("", strategy_views.home, name="home"),
    path("healthz", strategy_views.healthz, name="healthz"),
    path("published/", public_views.published_list, name="published-list"),
    path("published/<slug:slug>/", public_views.published_detail, name="published-strategy"),
    path("calendar.ics", calendar_views.calendar_feed, name="calendar-feed"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/reset/", calendar_views.calendar_reset, name="calendar-reset"),
    path("account/reminders/", account_views.reminder_preferences, name="account-reminders"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("governance.urls")),
    path("", include("consultation.urls")),
    path("strategies/", include("strategies.urls")),
    path("admin/", admin.site.urls),
]
