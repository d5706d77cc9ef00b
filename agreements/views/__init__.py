"""Pages of the agreements app. Each module is thin: parse input, look up through
``permissions.access_*``, call one ``do_*`` use case, render."""
