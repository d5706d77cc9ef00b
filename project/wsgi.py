import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
application = get_wsgi_application()


def freeze_startup_heap() -> None:
    """Load what every request needs, then move it out of the garbage collector's reach.

    The loaded modules, URLconf, templates and catalogues are hundreds of thousands of objects
    that live as long as the process. Left in the collector's oldest generation, each full
    collection walks them all: about 125 ms on the 2-CPU machine, a stall that lands inside
    whichever request triggers it (docs/performance.md, "Pages at 1M tasks"). ``gc.freeze()``
    keeps them out of every later collection; they were never going to be freed anyway.
    """
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()


freeze_startup_heap()
