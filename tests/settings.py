"""Settings for the test suite: the application's own, with static files served from the source.

(The hashed manifest needs `collectstatic`, which `make run` runs; tests read the files where they are.)
"""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STORAGES
from tests.standalone import watch_session

# Before Django is set up: from here on, whatever the suite reads beside the repository is recorded.
watch_session()

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bansou-test-static-"))
