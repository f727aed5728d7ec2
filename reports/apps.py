import importlib
import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Apps whose ``renderers.py`` registers document kinds (see reports/renderers.py).
RENDERER_APPS = ("cooperatives", "loans", "projects", "reports")


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The web process and the Celery worker must both know every document kind.
        for app in RENDERER_APPS:
            module = f"{app}.renderers"
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
