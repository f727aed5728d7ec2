from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoopsupportConfig(AppConfig):
    name = "coopsupport"
    verbose_name = _("Accounts and offices")
