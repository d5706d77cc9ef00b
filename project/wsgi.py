import gc
import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import get_resolver
from django.utils import formats, timezone, translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
application = get_wsgi_application()


def _template_names(folders):
    """The name of every template in ``folders``."""
    for folder in map(Path, folders):
        for path in folder.rglob("*.html") if folder.is_dir() else ():
            yield path.relative_to(folder).as_posix()


def _our_folders(engine):
    """``engine``'s template folders in the project (the libraries' ones, the admin's hundred
    templates among them, wait for the few who open them)."""
    for loader in engine.template_loaders:
        for folder in map(Path, loader.get_dirs()):
            if folder.is_relative_to(settings.BASE_DIR) and "site-packages" not in folder.parts:
                yield folder


def load_what_requests_need() -> None:
    """What the first requests would otherwise load and keep for the process's life: the
    compiled templates (ours and the form widgets'); per language its catalogue, the URL
    resolver's reverse table and the date formats; the holiday tables (the ``holidays`` package
    imports some 250 modules on first use) and the cache's Redis client library (some 50)."""
    from agreements.dates import default_calendar

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    default_calendar().next_working_day(timezone.localdate())
    if settings.CACHES["default"]["BACKEND"].endswith(".RedisCache"):
        import redis  # noqa: F401
    for backend in engines.all():
        for name in _template_names(_our_folders(backend.engine)):
            backend.get_template(name)
    # The form widgets' templates: the forms' own engine, its DIRS are Django's form templates.
    renderer = get_default_renderer()
    for name in _template_names(renderer.engine.engine.dirs):
        renderer.get_template(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            get_resolver().reverse_dict  # noqa: B018
            for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"):
                formats.get_format(name)


def freeze_startup_heap() -> None:
    """Load what every request needs, then move it out of the garbage collector's reach.

    The loaded modules, URLconf, templates and catalogues are hundreds of thousands of objects
    that live as long as the process. Left in the collector's oldest generation, each full
    collection walks them all: about 125 ms on the 2-CPU machine, a stall that lands inside
    whichever request triggers it (docs/performance.md, "Pages at 1M tasks"). ``gc.freeze()``
    keeps them out of every later collection; they were never going to be freed anyway.
    Templates and catalogues are loaded here too (``load_what_requests_need``): left to the
    first requests, they stayed in reach and a full collection still took 10-35 ms.
    """
    load_what_requests_need()
    gc.collect()
    gc.freeze()


freeze_startup_heap()
