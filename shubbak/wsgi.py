"""WSGI entry point (gunicorn shubbak.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shubbak.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL map) lives as long as the worker: the cycle collector need not
# walk it again and again (a full collection cost some 80 ms every few hundred requests).
gc.freeze()
