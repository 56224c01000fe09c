"""The WSGI application gunicorn serves (`gunicorn engage.config.wsgi`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.config.settings")
application = get_wsgi_application()

# What is loaded by now (Django, Engage's modules and settings) lives as long as the process, so
# the garbage collector is told to leave it alone: a full collection then walks only what came
# after. Each request leaves reference cycles (Django's request and its lazy user) that a
# collection must find. In a gunicorn worker under constant contact checks a full collection
# came every 7-10 s and held the worker 58-87 ms; frozen, they come more often and take 6-13 ms
# (docs/benchmarks.md, "Full collections frozen out").
gc.collect()
gc.freeze()
