from django.urls import path

from . import aftersign_views, signing_page, start, views

app_name = "workflows"

urlpatterns = [
    path("", start.start, name="home"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("queue/", views.queue, name="queue"),
    path("archive/", views.archive, name="archive"),
    path("tasks/<int:task_pk>/", views.task_detail, name="task"),
    path("tasks/<int:task_pk>/claim/", views.claim_task, name="claim"),
    path("tasks/<int:task_pk>/release/", views.release_task, name="release"),
    path("tasks/<int:task_pk>/draft/", views.order_draft, name="draft"),
    # Opening an agreement starts its workflow, so the form lives here; project/urls.py includes
    # these patterns before agreements' ``agreements/<reference>/``.
    path("agreements/new/", views.new_agreement, name="new_agreement"),
    # After signing (and withdrawing a draft): these change or start the agreement's workflow.
    path("agreements/<str:reference>/follow-up/", aftersign_views.follow_up, name="follow_up"),
    path("agreements/<str:reference>/revision/", aftersign_views.revision, name="revision"),
    path("agreements/<str:reference>/withdraw/", aftersign_views.withdraw, name="withdraw"),
    path("agreements/<str:reference>/amend/", aftersign_views.amend, name="amend"),
    # An external signatory's emailed link: no login, the token is the only key.
    path("signer/<str:token>/", signing_page.external_sign, name="external_sign"),
    path("signer/<str:token>/dokument/", signing_page.external_document, name="external_document"),
]
