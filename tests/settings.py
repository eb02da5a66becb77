"""The app's settings as the tests read them: DEBUG on at import, as a developer's checkout runs
(Django's test runner turns it off for each test), since the default is off and a production
install refuses to start without its secret key, hosts and database."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from sop_iku.settings import *  # noqa: E402, F403

# A server error forced by a request's header (tests/faults.py), innermost so it wraps the view only.
MIDDLEWARE = [*MIDDLEWARE, "tests.faults.ForcedServerErrorMiddleware"]  # noqa: F405

# The links the tests read (e-mails, webhooks, QR codes) name the default address, whatever a
# developer's shell exports for a server of theirs (SOP_BIND, SOP_SITE_URL in the README).
SOP_SITE_URL = "http://127.0.0.1:8000"

# The pages render their static links without a collectstatic run (whose manifest the app's storage
# reads); tests/security/test_static_files.py collects with the app's own storage and serves that.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
