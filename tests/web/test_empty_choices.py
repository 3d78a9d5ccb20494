"""Every form of the project, rendered: no select offers Django's "---------" (its empty choice says
「選択してください」). Forms are found by walking the bansou package, so a new form is covered, and
one that needs arguments must be given them in arguments() below (the test fails until it is)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.test import RequestFactory

import bansou
from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.framework import Framework
from bansou.orgs.models import Organisation
from bansou.places.models import Municipality
from bansou.plans.models import Step
from bansou.teams.models import Team, TeamMember
from bansou.web.fields import EMPTY_CHOICE, ChoosePlease, choose_please

pytestmark = pytest.mark.django_db


def project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(bansou.__path__, "bansou."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type[Any]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("bansou.") and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def arguments(owner: User, check: Check, framework: Framework) -> dict[str, Callable[[], dict[str, Any]]]:
    """What each form that needs arguments is made with, as its views make it."""
    org = Organisation.objects.create(name="〇〇県 長寿社会課", kind="prefecture")
    team = Team.objects.create(
        fiscal_year=check.fiscal_year, municipality=Municipality.objects.get(lgcode="131016")
    )
    member = TeamMember.objects.create(team=team, user=owner)
    step = Step(item_code=next(framework.items()).code, position=0)
    request = RequestFactory().get("/")
    return {
        "bansou.plans.forms.ItemsForm": lambda: {"items": framework.items(), "suggested": set()},
        "bansou.plans.forms.PlanForm": lambda: {"steps": [step], "names": {}},
        "bansou.plans.forms.ShareForm": lambda: {"teams": [(team.pk, "第1支援チーム")]},
        "bansou.teams.forms.TeamForm": lambda: {"organisations": [org]},
        "bansou.teams.forms.JoinTeamForm": lambda: {"organisations": [org]},
        "bansou.teams.forms.SettingsForm": lambda: {"team": team},
        "bansou.teams.forms.AssignmentForm": lambda: {"framework": framework, "members": [member]},
        "bansou.teams.forms.PoolSearchForm": lambda: {"framework": framework},
        "bansou.teams.forms.LeadForm": lambda: {"candidates": [(owner.pk, str(owner))]},
        "bansou.cohorts.forms.CohortForm": lambda: {"organisations": [org, org], "signup_orgs": ()},
        "bansou.cohorts.forms.HandInForm": lambda: {"checks": [check], "phase_label": "事前"},
        "bansou.accounts.forms.DeleteAccountForm": lambda: {"user": owner, "request": request},
        "bansou.accounts.forms.ThrottledPasswordChangeForm": lambda: {"user": owner, "request": request},
        "bansou.accounts.second_factor.forms.CodeForm": lambda: {"user": owner, "request": request},
        "bansou.sharing.forms.ShareForm": lambda: {"checks": [check]},
        "bansou.sharing.forms.TeamShareForm": lambda: {"checks": [check], "organisation": org.name},
        "bansou.feedback.forms.RequestForm": lambda: {"items": list(framework.items())},
        "bansou.feedback.forms.AnswerForm": lambda: {"items": list(framework.items())[:3]},
        "bansou.feedback.forms.PaperForm": lambda: {"items": list(framework.items())[:3]},
    }


def test_no_form_offers_dashes(
    municipalities: object, owner: User, submitted: Callable[..., Check], framework: Framework
) -> None:
    made = arguments(owner, submitted(owner), framework)
    classes = project_forms()
    assert len(classes) > 20  # the walk found the project's forms
    for cls in classes:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name in made:
            form = cls(**made[name]())
        else:
            try:
                form = cls()
            except TypeError as error:
                pytest.fail(f"{name} needs arguments: add it to arguments() ({error})")
        html = str(form)
        assert "---------" not in html, f"{name} offers ---------"


def test_the_empty_choice_says_choose() -> None:
    class Kind(ChoosePlease, forms.Form):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "都道府県")])
        org = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False)

    html = str(Kind())
    assert html.count(str(EMPTY_CHOICE)) == 2 and "---------" not in html
    field = forms.ModelChoiceField(queryset=Organisation.objects.none(), empty_label="（なし）")
    choose_please(field)
    assert field.empty_label == "（なし）"  # a chosen empty label is kept
