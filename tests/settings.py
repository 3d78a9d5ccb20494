"""Settings for the test suite: the application's own, with static files served from the source.

(The hashed manifest needs `collectstatic`, which `make run` runs; tests read the files where they are.)
"""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bansou-test-static-"))
