"""The app's settings, with two extra baseline views mounted (see bench/urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
