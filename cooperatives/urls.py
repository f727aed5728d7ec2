from django.urls import path

from cooperatives.views import imports, institutions, options, related

app_name = "cooperatives"

urlpatterns = [
    path("", institutions.InstitutionListView.as_view(), name="institution_list"),
    path("add/", institutions.InstitutionCreateView.as_view(), name="institution_create"),
    path("<int:pk>/", institutions.InstitutionDetailView.as_view(), name="institution_detail"),
    path("<int:pk>/edit/", institutions.InstitutionUpdateView.as_view(), name="institution_update"),
    path("<int:pk>/status/", institutions.InstitutionStatusView.as_view(), name="institution_status"),
    # Contacts, board and staff, yearly figures
    path("<int:institution_pk>/contacts/add/", related.ContactCreateView.as_view(), name="contact_create"),
    path("contacts/<int:pk>/edit/", related.ContactUpdateView.as_view(), name="contact_update"),
    path("contacts/<int:pk>/delete/", related.ContactDeleteView.as_view(), name="contact_delete"),
    path("<int:institution_pk>/people/add/", related.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/edit/", related.PersonUpdateView.as_view(), name="person_update"),
    path("people/<int:pk>/delete/", related.PersonDeleteView.as_view(), name="person_delete"),
    path("people/<int:pk>/national-id/", related.PersonRevealView.as_view(), name="person_reveal"),
    path("<int:institution_pk>/figures/add/", related.FigureCreateView.as_view(), name="figure_create"),
    path("figures/<int:pk>/edit/", related.FigureUpdateView.as_view(), name="figure_update"),
    path("figures/<int:pk>/delete/", related.FigureDeleteView.as_view(), name="figure_delete"),
    # Excel import
    path("import/", imports.ImportUploadView.as_view(), name="institution_import"),
    path("import/template/", imports.ImportTemplateView.as_view(), name="institution_import_template"),
    path("import/<str:token>/", imports.ImportPreviewView.as_view(), name="institution_import_preview"),
    # htmx fragments for the form's chained selects
    path("options/types/", options.type_options, name="type_options"),
    path("options/subdistricts/", options.subdistrict_options, name="subdistrict_options"),
    path("options/postcode/", options.postcode, name="postcode"),
]
