"""Binding a form to what was posted."""


def posted(request):
    """The data of a POST, also an empty one, so the form is bound and says what is missing
    (``request.POST or None`` would show an empty POST the blank form without a word); None for
    any other method."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    """The files of a POST (see ``posted``); None for any other method."""
    return request.FILES if request.method == "POST" else None
