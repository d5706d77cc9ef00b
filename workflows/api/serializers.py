"""What the API shows of a workflow task, and the input of a new draft agreement."""

from functools import cached_property

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.api.serializers import PersonSerializer
from agreements.links import url_for
from agreements.models import Agreement

from .. import actions, inbox
from ..nodes import AgreementTask


class DeadlineSummarySerializer(serializers.Serializer):
    due_date = serializers.DateField()
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()


class TaskSerializer(serializers.Serializer):
    """A task; list views hand in tasks passed through ``inbox.with_deadlines``."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="flow_task.name")
    title = serializers.SerializerMethodField()
    status = serializers.CharField()
    agreement = serializers.SerializerMethodField()
    owner = PersonSerializer(allow_null=True)
    created = serializers.DateTimeField()
    finished = serializers.DateTimeField(allow_null=True)
    deadline = DeadlineSummarySerializer(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_title(self, task) -> str:
        return str(task.flow_task)

    def get_agreement(self, task) -> str:
        """The agreement's reference."""
        return inbox.agreement_of(task).reference

    @cached_property
    def _task_url(self):
        # Once per response: a list serializer reuses this one instance for every row.
        return url_for("api:task")

    def get_url(self, task) -> str:
        return self._task_url(task.pk)


class FormFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.CharField(), allow_null=True)


class TaskDetailSerializer(TaskSerializer):
    may_claim = serializers.SerializerMethodField()
    may_release = serializers.SerializerMethodField()
    may_complete = serializers.SerializerMethodField()
    form_fields = serializers.SerializerMethodField()

    def _user(self):
        return self.context["request"].user

    def get_may_claim(self, task) -> bool:
        return actions.may_claim_task(self._user(), task)

    def get_may_release(self, task) -> bool:
        return actions.may_release_task(self._user(), task)

    def get_may_complete(self, task) -> bool:
        return actions.may_do_task(self._user(), task)

    @extend_schema_field(FormFieldSerializer(many=True))
    def get_form_fields(self, task):
        """The fields ``complete`` takes: the task page's form."""
        if not isinstance(task.flow_task, AgreementTask):
            return []
        form = task.flow_task.step.make_form(inbox.agreement_of(task))
        return [
            {
                "name": name,
                "label": str(field.label or name),
                "required": field.required,
                "choices": [str(value) for value, _label in field.choices]
                if hasattr(field, "choices") and not hasattr(field, "queryset")
                else None,
            }
            for name, field in form.fields.items()
        ]


class DraftInputSerializer(serializers.Serializer):
    """A new draft agreement (for the schema: the new-agreement page's form validates it)."""

    kind = serializers.ChoiceField(choices=Agreement.Kind.choices)
    title = serializers.CharField(max_length=200)
    customer = serializers.IntegerField(help_text="Organisation id.")
    provider = serializers.IntegerField(help_text="Organisation id.")
    description = serializers.CharField(required=False, allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True)
    requirement = serializers.IntegerField(required=False, allow_null=True)
    applications = serializers.ListField(child=serializers.IntegerField(), required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    notice_months = serializers.IntegerField(min_value=0, max_value=60)
