import os

from django.core.wsgi import get_wsgi_application

from sop_iku.environment import MisconfiguredEnvironment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_iku.settings")
try:
    application = get_wsgi_application()
except MisconfiguredEnvironment as problem:
    # A variable missing or wrong (sop_iku/environment.py). gunicorn prints an AppImportError's
    # words alone and stops (exit 4, "App failed to load."), where any other error left a traceback
    # in the journal for each worker it booted.
    from gunicorn.errors import AppImportError

    raise AppImportError(str(problem)) from None
