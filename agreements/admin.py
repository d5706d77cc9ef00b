from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Application, AuditEvent, Organisation, Requirement, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "org_number"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "org_number"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "groups", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Organisasjon"), {"fields": ["organisation", "language"]}),
    )


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "title", "deadline"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "supplier", "version"]
    search_fields = ["name"]
    filter_horizontal = ["used_by"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Reference data only: state changes go through the workflow, never through the admin."""

    list_display = ["reference", "title", "kind", "customer", "provider", "status"]
    list_filter = ["kind", "status", "customer", "provider"]
    search_fields = ["reference", "title"]
    readonly_fields = ["reference", "status", "review_round", "owner", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "agreement", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
