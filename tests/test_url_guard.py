"""A safety net over every URL: anonymous visitors are sent to sign in, and no page without
arguments answers 500 for any persona. Per-view scope tests (404 / 403) live with each app."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "set_language",
    "javascript-catalog",
}


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def _argless_urls():
    from django.urls import NoReverseMatch, reverse

    urls = []
    for name in sorted(set(_named_patterns())):
        try:
            urls.append((name, reverse(name)))
        except NoReverseMatch:
            continue  # needs arguments: covered by the app's own tests
    return urls


@pytest.mark.django_db
def test_every_page_sends_anonymous_visitors_to_sign_in(client):
    for name, url in _argless_urls():
        if name in PUBLIC or name.startswith("media"):
            continue
        response = client.get(url)
        assert response.status_code in (302, 403, 405), (name, url, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], (name, url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["officer_client", "supervisor_client", "central_client", "admin_client_"]
)
def test_no_page_without_arguments_fails_for_any_persona(persona, request):
    client = request.getfixturevalue(persona)
    for name, url in _argless_urls():
        if name == "logout":
            continue
        response = client.get(url)
        assert response.status_code < 500, (persona, name, url, response.status_code)
