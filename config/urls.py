from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from config.autocomplete import LabelledAutocompleteJsonView
from portal.api.api import api

admin.site.site_header = "Waymark administration"
admin.site.site_title = "Waymark admin"
admin.site.index_title = "Organisations, users, strategies and their history"

# A failure while the database is down is a 503 asking to try again shortly, never a 500.
handler500 = "portal.views.server_error"

urlpatterns = [
    path("account/two-factor/", account_views.two_factor_settings, name="account-two-factor"),
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/login/code/", account_views.sign_in_code, name="sign-in-code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The admin signs in through Waymark's own page, so that two-factor sign-in applies there.
    path("admin/login/", account_views.admin_sign_in, name="admin-login"),
    # Its autocomplete names each result as the model's admin names it (a body with its
    # organisation), before the site's own view at the same address.
    path(
        "admin/autocomplete/",
        admin.site.admin_view(LabelledAutocompleteJsonView.as_view(admin_site=admin.site)),
    ),
    # strategies' pages first, so that `/strategies/new/` is not taken for a strategy's page.
    path("strategies/", include("strategies.urls")),
    path("", include("portal.urls")),
    path("", include("governance.urls")),
    path("", include("consultation.urls")),
    path("", include("delivery.urls")),
    path("", include("documents.urls")),
    path("admin/", admin.site.urls),
    # The read-only API for reporting tools, its schema and documentation (portal/api/).
    path("api/v1/", api.urls),
]
