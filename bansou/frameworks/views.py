from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bansou.frameworks.queries import current_version, framework_of


@require_safe
def leaflet(request: HttpRequest) -> HttpResponse:
    """The framework as the leaflet presents it: public, printable."""
    version = current_version()
    framework = framework_of(version)
    table = [
        {
            "tier": tier,
            "cells": [framework.competencies_of(tier.code, power.number) for power in framework.powers],
        }
        for tier in framework.tiers
    ]
    elements_by_power = [(power, framework.elements_of(power.number)) for power in framework.powers]
    context = {
        "version": version,
        "framework": framework,
        "table": table,
        "elements_by_power": elements_by_power,
        # After logging in, back to the end of this page, where the self-check starts.
        "start_next": request.path + "#start",
    }
    return render(request, "frameworks/leaflet.html", context)
