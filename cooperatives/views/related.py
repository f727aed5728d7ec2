"""Contacts, board and staff, and yearly figures of an institution: add, edit, delete; and the
logged reveal of a national ID number (PDPA)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DeleteView, FormView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from cooperatives import services
from cooperatives.forms import ContactForm, PersonForm, YearlyFigureForm
from cooperatives.models import Contact, Person, YearlyFigure
from cooperatives.rules import format_national_id
from cooperatives.views.common import InstitutionFromUrlMixin
from coopsupport.views import ScopedMixin, WriteRequiredMixin


class RelatedMixin:
    """What differs between contacts, people and figures: the form, the tab and the words."""

    template_name = "generic/form.html"
    tab = ""
    add_title = ""
    edit_title = ""
    saved_message = ""
    deleted_message = ""

    def get_institution(self):
        return self.institution if hasattr(self, "institution_kwarg") else self.object.institution

    def extra_form_kwargs(self) -> dict:
        return {}

    def tab_url(self) -> str:
        return f"{self.get_institution().get_absolute_url()}#{self.tab}"

    def page_title(self) -> str:  # pragma: no cover - each view below says it
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.page_title(), cancel_url=self.tab_url(), **kwargs)

    def form_valid(self, form):
        """Add and edit: save through the service, say so, back to the institution's tab."""
        obj = form.save(commit=False)
        services.save_related(obj, by=self.request.user)
        messages.success(self.request, self.saved_message % {"name": str(obj)})
        for warning in getattr(form, "warnings", ()):
            messages.warning(self.request, warning)
        return redirect(self.tab_url())


class RelatedCreateView(WriteRequiredMixin, InstitutionFromUrlMixin, RelatedMixin, FormView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.form_class._meta.model(institution=self.institution)
        return {**kwargs, **self.extra_form_kwargs()}

    def page_title(self) -> str:
        return self.add_title % {"institution": self.institution.name}


class RelatedUpdateView(WriteRequiredMixin, ScopedMixin, RelatedMixin, UpdateView):
    def get_queryset(self):
        return super().get_queryset().select_related("institution")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def page_title(self) -> str:
        return self.edit_title % {"name": str(self.object), "institution": self.object.institution.name}


class RelatedDeleteView(WriteRequiredMixin, ScopedMixin, RelatedMixin, DeleteView):
    template_name = "generic/confirm.html"

    def get_form_class(self):
        return forms.Form  # the confirmation has no fields (the mixins name the edit form)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_queryset(self):
        return super().get_queryset().select_related("institution")

    def page_title(self) -> str:
        return _("Delete %(name)s?") % {"name": str(self.object)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            message=_("This cannot be undone from this page (the change history keeps a copy)."),
            button_label=_("Delete"),
            **kwargs,
        )

    def form_valid(self, form):
        url = self.tab_url()
        services.delete_related(self.object, by=self.request.user)
        messages.success(self.request, self.deleted_message % {"name": str(self.object)})
        return redirect(url)


class ContactMixin:
    model = Contact
    form_class = ContactForm
    tab = "contacts"
    add_title = gettext_lazy("Add a contact to %(institution)s")
    edit_title = gettext_lazy("Edit contact %(name)s")
    saved_message = gettext_lazy("Contact %(name)s was saved.")
    deleted_message = gettext_lazy("Contact %(name)s was deleted.")


class PersonMixin:
    model = Person
    form_class = PersonForm
    tab = "people"
    add_title = gettext_lazy("Add a board or staff member to %(institution)s")
    edit_title = gettext_lazy("Edit %(name)s")
    saved_message = gettext_lazy("%(name)s was saved.")
    deleted_message = gettext_lazy("%(name)s was deleted.")


class FigureMixin:
    model = YearlyFigure
    form_class = YearlyFigureForm
    tab = "figures"
    add_title = gettext_lazy("Add yearly figures for %(institution)s")
    edit_title = gettext_lazy("Edit %(name)s")
    saved_message = gettext_lazy("Figures %(name)s were saved.")
    deleted_message = gettext_lazy("Figures %(name)s were deleted.")

    def extra_form_kwargs(self):
        return {"institution": self.get_institution()}


class ContactCreateView(ContactMixin, RelatedCreateView):
    pass


class ContactUpdateView(ContactMixin, RelatedUpdateView):
    pass


class ContactDeleteView(ContactMixin, RelatedDeleteView):
    pass


class PersonCreateView(PersonMixin, RelatedCreateView):
    pass


class PersonUpdateView(PersonMixin, RelatedUpdateView):
    pass


class PersonDeleteView(PersonMixin, RelatedDeleteView):
    pass


class FigureCreateView(FigureMixin, RelatedCreateView):
    pass


class FigureUpdateView(FigureMixin, RelatedUpdateView):
    pass


class FigureDeleteView(FigureMixin, RelatedDeleteView):
    pass


@method_decorator(never_cache, name="dispatch")
class PersonRevealView(WriteRequiredMixin, ScopedMixin, SingleObjectMixin, View):
    """POST only: show one person's full national ID number once, and log who saw it (PDPA)."""

    model = Person
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        person = self.get_object()
        if not person.national_id:
            raise Http404
        number = services.reveal_national_id(person=person, by=request.user, purpose="institution page")
        context = {"person": person, "number": format_national_id(number)}
        if request.htmx:
            return render(request, "cooperatives/partials/national_id.html", context)
        context["title"] = _("National ID number of %(name)s") % {"name": person.name}
        context["back_url"] = person.institution.get_absolute_url() + "#people"
        return render(request, "cooperatives/person_reveal.html", context)
