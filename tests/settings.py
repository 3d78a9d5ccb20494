"""Settings for the test suite: the application's own, with static files served unhashed.

(The hashed manifest needs `collectstatic`; `make run` runs it, tests do not need it.)
"""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
