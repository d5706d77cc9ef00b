"""``python -m bench``: every benchmark, one after the other."""

from . import documents, emails, sweep

if __name__ == "__main__":
    sweep.main()
    emails.main()
    documents.main()
