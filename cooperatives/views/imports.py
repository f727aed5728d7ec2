"""Excel import: template download, upload, preview (nothing saved) and confirm (all or nothing).

Between preview and confirm the raw rows wait in the user's session under a random token; the
confirm step validates them again against the database as it is then."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from cooperatives import import_template, importing
from cooperatives.forms import ImportUploadForm
from coopsupport.scoping import offices_for_user
from coopsupport.views import WriteRequiredMixin

SESSION_KEY = "cooperatives_import"


class ImportTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        response = HttpResponse(import_template.build_template(), content_type=importing.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="institution-import-template.xlsx"'
        return response


class ImportUploadView(WriteRequiredMixin, FormView):
    form_class = ImportUploadForm
    template_name = "cooperatives/import_upload.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Import institutions from Excel"), **kwargs)

    def form_valid(self, form):
        office = form.cleaned_data.get("office") or self.request.user.office
        try:
            raw_rows = importing.read_upload(form.cleaned_data["file"])
        except importing.ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        if all(values["name"].startswith(importing.EXAMPLE_MARK) for _n, values in raw_rows):
            form.add_error("file", _("The file has no data rows."))
            return self.form_invalid(form)
        token = secrets.token_urlsafe(16)
        self.request.session[SESSION_KEY] = {
            "token": token,
            "office": office.pk,
            "filename": form.cleaned_data["file"].name[:200],
            "rows": raw_rows,
        }
        return redirect("cooperatives:institution_import_preview", token=token)


class ImportPreviewView(WriteRequiredMixin, TemplateView):
    """GET: the parsed rows and every problem; POST: save them all, or nothing."""

    template_name = "cooperatives/import_preview.html"

    def load(self):
        payload = self.request.session.get(SESSION_KEY)
        if not payload or not secrets.compare_digest(payload["token"], self.kwargs["token"]):
            raise Http404
        office = offices_for_user(self.request.user).filter(pk=payload["office"]).first()
        if office is None:
            raise Http404
        rows = [(int(n), dict(values)) for n, values in payload["rows"]]
        preview = importing.validate_rows(rows, lookups=importing.Lookups.load(office, rows))
        return payload, office, preview

    def get(self, request, *args, **kwargs):
        payload, office, preview = self.load()
        return self.render_to_response(self.context(payload, office, preview))

    def post(self, request, *args, **kwargs):
        payload, office, preview = self.load()
        if not preview.ok:
            messages.error(
                request, _("Nothing was saved: the file has problems. Fix them and upload it again.")
            )
            return self.render_to_response(self.context(payload, office, preview))
        try:
            created = importing.save_rows(preview, office=office, by=request.user, today=timezone.localdate())
        except IntegrityError:  # someone registered the same number between our check and the save
            messages.error(
                request, _("Nothing was saved: the register changed meanwhile. Check the file again.")
            )
            return redirect(request.path)
        del request.session[SESSION_KEY]
        messages.success(request, _("%(n)s institutions were imported.") % {"n": len(created)})
        return redirect(reverse("cooperatives:institution_list"))

    def context(self, payload, office, preview):
        return self.get_context_data(
            title=_("Check the import"),
            filename=payload["filename"],
            office=office,
            preview=preview,
            warnings=[(row.row, w) for row in preview.rows for w in row.warnings],
        )
