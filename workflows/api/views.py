"""Task endpoints and opening a draft. Thin like the task pages: look up through
``inbox.access_task``, call one use case of ``workflows.actions``, answer; the use case holds the
locks, guards and separation-of-duties rules, and ``TaskUnavailable`` becomes a 409 with the same
message the page shows."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements.api.authentication import acting_as
from agreements.api.base import BoundedPages
from agreements.api.forms import check_shapes, form_data
from agreements.api.problems import Conflict, InvalidInput, ProblemSerializer
from agreements.api.serializers import AgreementDetailSerializer
from agreements.api.views import AgreementList
from agreements.forms.agreements import AgreementCreateForm
from agreements.permissions import may_create_agreement, parent_choices

from .. import actions, inbox
from .serializers import DraftInputSerializer, TaskDetailSerializer, TaskSerializer

PROBLEM = OpenApiResponse(ProblemSerializer, description="Problem details (RFC 9457)")
OVERDUE = OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only overdue tasks.")


def _form_errors(form) -> InvalidInput:
    return InvalidInput({field: [str(m) for m in errs] for field, errs in form.errors.items()})


class AgreementCollection(AgreementList):
    """List agreements (GET) and open a draft with its workflow (POST), as the new-agreement page
    does: the draft lands in the owner's inbox."""

    @extend_schema(
        request=DraftInputSerializer,
        responses={201: AgreementDetailSerializer, 400: PROBLEM, 403: PROBLEM},
    )
    def post(self, request):
        user = request.user
        if not may_create_agreement(user):
            raise PermissionDenied(_("Du har ikke rolle som avtaleeier."))
        form = AgreementCreateForm(
            form_data(request.data),
            parent_choices=parent_choices(user, user.organisation_id),
            user=user,
        )
        check_shapes(form)
        if not form.is_valid():
            raise _form_errors(form)
        data = form.cleaned_data
        with acting_as(request):
            agreement = actions.do_open_agreement(
                user,
                kind=data["kind"],
                customer=data["customer"],
                provider=data["provider"],
                **form.agreement_changes(),
            )
        body = AgreementDetailSerializer(agreement, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class TaskList(generics.ListAPIView):
    serializer_class = TaskSerializer
    pagination_class = BoundedPages
    listing = None

    @extend_schema(parameters=[OVERDUE])
    def get(self, request, *args, **kwargs):
        overdue = request.query_params.get("overdue") in ("1", "true")
        page = self.paginate_queryset(type(self).listing(request.user, overdue=overdue))
        tasks = inbox.with_deadlines(page)
        return self.get_paginated_response(self.get_serializer(tasks, many=True).data)


class Inbox(TaskList):
    """Tasks waiting for the user (and for anyone they stand in for today), oldest first."""

    listing = staticmethod(inbox.inbox)


class Queue(TaskList):
    """Unclaimed tasks the user may claim, oldest first."""

    listing = staticmethod(inbox.queue)


def _task_answer(request, task_pk, code=status.HTTP_200_OK):
    task = inbox.with_deadlines([inbox.access_task(request.user, task_pk)])[0]
    return Response(TaskDetailSerializer(task, context={"request": request}).data, status=code)


class TaskDetail(APIView):
    @extend_schema(responses={200: TaskDetailSerializer, 404: PROBLEM})
    def get(self, request, task_pk):
        return _task_answer(request, task_pk)


class TaskAction(APIView):
    """Claim or release: one use case, its ``TaskUnavailable`` a 409."""

    use_case = None

    @extend_schema(request=None, responses={200: TaskDetailSerializer, 404: PROBLEM, 409: PROBLEM})
    def post(self, request, task_pk):
        task = inbox.access_task(request.user, task_pk)
        with acting_as(request):
            try:
                type(self).use_case(request.user, task)
            except actions.TaskUnavailable as exc:
                raise Conflict(str(exc)) from None
        return _task_answer(request, task_pk)


class ClaimTask(TaskAction):
    use_case = staticmethod(actions.do_claim_task)


class ReleaseTask(TaskAction):
    use_case = staticmethod(actions.do_release_task)


class CompleteTask(APIView):
    """Complete the task with the task page's form fields as a JSON object."""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: TaskDetailSerializer,
            400: PROBLEM,
            403: PROBLEM,
            404: PROBLEM,
            409: PROBLEM,
        },
    )
    def post(self, request, task_pk):
        user = request.user
        task = inbox.access_task(user, task_pk)
        if not actions.may_do_task(user, task):
            raise Conflict(actions.explain_unavailable(user, task))
        form = task.flow_task.step.make_form(inbox.agreement_of(task), form_data(request.data))
        check_shapes(form)
        if not form.is_valid():
            raise _form_errors(form)
        with acting_as(request):
            try:
                actions.do_complete_task(user, task, form.cleaned_data)
            except actions.TaskUnavailable as exc:
                raise Conflict(str(exc)) from None
        return _task_answer(request, task_pk)
