"""The REST API over agreements, the application register, OD requirements and documents.

Thin serializers and views over the same ``access_*``/``visible_*`` lookups and ``do_*`` use cases
the pages call; the workflow's endpoints (tasks, opening a draft) live in ``workflows.api``.
"""
