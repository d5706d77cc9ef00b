from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import deadlines
from .models import (
    Agreement,
    Application,
    ApplicationUse,
    AuditEvent,
    Deadline,
    Organisation,
    ReminderDelivery,
    ReminderRule,
    Requirement,
    SigningRequest,
    SupplierContact,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the system (audit, deadlines, deliveries): administrators look, never
    touch, so the trail and the reminder ledger stay what the system recorded."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SupplierContactInline(admin.TabularInline):
    """A supplier's contact persons; one who may sign gets the emailed signing link."""

    model = SupplierContact
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "org_number"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "org_number"]
    inlines = [SupplierContactInline]


@admin.register(SigningRequest)
class SigningRequestAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "party", "name", "email", "created_at", "expires_at", "used_at"]
    list_filter = ["party"]
    exclude = ["token_hash"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "organisation",
        "is_active",
        "email_undeliverable_at",
    ]
    list_filter = [
        "organisation",
        "groups",
        "is_active",
        ("email_undeliverable_at", admin.EmptyFieldListFilter),
    ]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Organisasjon"), {"fields": ["organisation", "language"]}),
        (_("Fravær"), {"fields": ["away_until", "substitute"]}),
    )


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "title", "deadline", "delivers_to_rhf"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        deadlines.sync_delivery_deadline(obj)


class ApplicationUseInline(admin.TabularInline):
    model = ApplicationUse
    extra = 0
    raw_id_fields = ["system_owner"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "supplier", "version", "asset_id", "category"]
    list_filter = ["category", "regional"]
    search_fields = ["name", "asset_id"]
    inlines = [ApplicationUseInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Reference data only: state changes go through the workflow, never through the admin."""

    list_display = ["reference", "title", "kind", "customer", "provider", "manager", "status"]
    list_filter = ["kind", "status", "customer", "provider", "manager"]
    search_fields = ["reference", "title"]
    readonly_fields = ["reference", "status", "review_round", "owner", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "agreement", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "deadline_kind", "offset", "unit", "repeat_every", "audience", "active"]
    list_filter = ["deadline_kind", "audience", "active"]
    list_editable = ["active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Open deadlines keep their next reminder moment in a column; a changed rule moves it.
        deadlines.reschedule_open_deadlines(obj.deadline_kind)
        if change and "deadline_kind" in form.changed_data:
            deadlines.reschedule_open_deadlines(form.initial["deadline_kind"])


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    """Read-only: deadlines follow the agreements and tasks they belong to."""

    list_display = [
        "agreement",
        "kind",
        "title",
        "due_date",
        "assignee",
        "next_reminder_at",
        "closed_at",
    ]
    list_filter = ["kind", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["agreement__reference", "title"]
    list_select_related = ["agreement", "assignee"]


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdmin):
    """Every reminder and its fate. Filter on status: failed is being retried; bounced, dead,
    undeliverable and unknown need a person (the SMTP answer is in the last error)."""

    list_display = [
        "created_at",
        "recipient",
        "addressee",
        "rule",
        "deadline",
        "occurrence",
        "status",
        "attempts",
        "sent_at",
        "message_id",
        "resent_at",
        "last_error",
    ]
    list_filter = ["status", "rule", "created_at"]
    search_fields = [
        "recipient__username",
        "recipient__email",
        "deadline__agreement__reference",
        "message_id",
    ]
    list_select_related = ["recipient", "addressee", "rule", "deadline__agreement"]
    date_hierarchy = "created_at"
