"""The request of a signed-in person.

Every page behind ``login_required`` takes an ``AuthedRequest``: its ``user`` is a ``User``, so a view
reads ``request.user`` without an assert of its own (the decorator has already sent anyone else to
the login page).
"""

from __future__ import annotations

from django.http import HttpRequest

from bansou.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request from a signed-in person (for views behind ``login_required``)."""

    user: User


def user_of(request: HttpRequest) -> User:
    """The signed-in person of a request typed as anyone's (a page that visitors may open too)."""
    user = request.user
    assert isinstance(user, User), "only for signed-in requests"
    return user
