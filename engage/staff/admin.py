"""Platform operators' admin (superusers only). Organisations' own staff use the Staff pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from engage.staff.models import Role, User


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "is_active")
    list_filter = ("organisation", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Engage", {"fields": ("organisation", "roles", "line_manager", "job_title")}),
    )  # type: ignore[misc]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "organisation", "is_archived")
    list_filter = ("organisation",)
