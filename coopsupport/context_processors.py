from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, icon). Entries whose app has not wired its URL yet are skipped.
NAVIGATION = [
    (_("Home"), "home", "house"),
    (_("Institutions"), "cooperatives:institution_list", "building"),
    (_("Loans"), "loans:loan_list", "cash-coin"),
    (_("Plans & projects"), "projects:plan_list", "diagram-3"),
    (_("Feasibility"), "projects:assessment_list", "calculator"),
    (_("Reports"), "reports:dashboard", "bar-chart"),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, name, icon in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(
            {"label": label, "url": url, "icon": icon, "active": request.path.startswith(url) and url != "/"}
        )
    return {"nav_items": items}
