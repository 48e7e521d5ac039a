from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

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
    path("account/two-factor/", account_views.two_factor_settings, name="account-two-factor"),
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/login/code/", account_views.sign_in_code, name="sign-in-code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The admin signs in through Waymark's own page, so that two-factor sign-in applies there.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin-login",
    ),
    path("", include("governance.urls")),
    path("", include("consultation.urls")),
    path("strategies/", include("strategies.urls")),
    path("admin/", admin.site.urls),
]
