from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People's own doors: signing in (with optional two-factor codes), their personal settings
    and secrets. The user model itself stays in strategies (docs/decisions/0001); this app reaches
    it only through `get_user_model()`, so it imports nothing of ours."""

    name = "accounts"
    verbose_name = "Accounts"
