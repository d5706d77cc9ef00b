"""Routes of ``workflows.api``, mounted under /api/v1/ with ``agreements.api.urls``."""

from django.urls import path

from . import views

urlpatterns = [
    path("agreements/", views.AgreementCollection.as_view(), name="agreements"),
    path("tasks/inbox/", views.Inbox.as_view(), name="inbox"),
    path("tasks/queue/", views.Queue.as_view(), name="queue"),
    path("tasks/<int:task_pk>/", views.TaskDetail.as_view(), name="task"),
    path("tasks/<int:task_pk>/claim/", views.ClaimTask.as_view(), name="claim"),
    path("tasks/<int:task_pk>/release/", views.ReleaseTask.as_view(), name="release"),
    path("tasks/<int:task_pk>/complete/", views.CompleteTask.as_view(), name="complete"),
]
