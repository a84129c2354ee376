from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Role, User


@admin.register(User)
class HouqinUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Houqin", {"fields": ("real_name", "phone", "staff_no", "default_school")}),
    )
    list_display = ("username", "real_name", "phone", "is_active", "is_superuser")
    search_fields = ("username", "real_name", "phone")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "scope")
    filter_horizontal = ("permissions",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "school", "district", "department", "is_active")
    list_filter = ("role", "school")
    raw_id_fields = ("user",)
