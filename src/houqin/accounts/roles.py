"""The default roles (the personas of the domain) and the permissions each starts with.

Roles are data: an administrator may change them afterwards. Migrations call ``grant`` to
create the roles and to give them the permissions of newly added modules.
"""

from __future__ import annotations

from typing import Any

ORG_VIEW = [
    "org.view_school",
    "org.view_campus",
    "org.view_building",
    "org.view_room",
    "org.view_department",
    "org.view_schoolyear",
    "org.view_term",
]
PEOPLE_VIEW = ["accounts.view_user", "accounts.view_membership", "accounts.view_role"]
ORG_MANAGE = [
    f"org.{action}_{model}"
    for model in ("campus", "building", "room", "department", "schoolyear", "term")
    for action in ("add", "change", "delete")
]
PEOPLE_MANAGE = [
    f"accounts.{action}_{model}"
    for model in ("user", "membership", "role")
    for action in ("add", "change", "delete")
]

# code: (Chinese name, English name, scope, sort order, permissions)
DEFAULT_ROLES: dict[str, tuple[str, str, str, int, list[str]]] = {
    "principal": (
        "校长",
        "Principal",
        "school",
        10,
        [*ORG_VIEW, *PEOPLE_VIEW, "org.change_school", "core.view_auditentry"],
    ),
    "vp": ("分管后勤副校长", "Vice principal (logistics)", "school", 20, [*ORG_VIEW, *PEOPLE_VIEW]),
    "director": (
        "总务主任",
        "Logistics director",
        "school",
        30,
        [*ORG_VIEW, *PEOPLE_VIEW, *ORG_MANAGE, "org.change_school"],
    ),
    "depthead": (
        "部门负责人",
        "Department head",
        "school",
        40,
        [*ORG_VIEW, "accounts.view_user", "accounts.view_membership"],
    ),
    "teacher": ("教职工", "Staff member", "school", 50, list(ORG_VIEW)),
    "worker": ("维修工", "Maintenance worker", "school", 60, list(ORG_VIEW)),
    "storekeeper": ("仓管员", "Storekeeper", "school", 70, list(ORG_VIEW)),
    "purchaser": ("采购员", "Purchaser", "school", 80, list(ORG_VIEW)),
    "assetkeeper": ("资产管理员", "Asset keeper", "school", 90, list(ORG_VIEW)),
    "accountant": ("会计/出纳", "Accountant", "school", 100, list(ORG_VIEW)),
    "safety": ("安全员", "Safety officer", "school", 110, [*ORG_VIEW, "org.change_building"]),
    "canteen": ("食堂管理员", "Canteen manager", "school", 120, list(ORG_VIEW)),
    "nurse": ("保健医", "School nurse", "school", 130, list(ORG_VIEW)),
    "district": (
        "教育局",
        "District official",
        "district",
        140,
        ["org.view_district", *ORG_VIEW, *PEOPLE_VIEW],
    ),
    "admin": (
        "系统管理员",
        "Administrator",
        "school",
        150,
        [
            *ORG_VIEW,
            *PEOPLE_VIEW,
            *ORG_MANAGE,
            *PEOPLE_MANAGE,
            "org.change_school",
            "org.view_district",
            "core.view_auditentry",
        ],
    ),
}


def ensure_permissions(apps: Any) -> None:
    """Create the permission rows now (Django otherwise adds them after all migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original


def grant(apps: Any, mapping: dict[str, list[str]]) -> None:
    """Give roles permissions, creating the default roles that do not exist yet."""
    ensure_permissions(apps)
    role_model = apps.get_model("accounts", "Role")
    permission_model = apps.get_model("auth", "Permission")
    for code, perms in mapping.items():
        zh, en, scope, order, _defaults = DEFAULT_ROLES[code]
        role, _created = role_model.objects.get_or_create(
            code=code,
            defaults={
                "name": zh,
                "name_en": en,
                "scope": scope,
                "sort_order": order,
                "is_system": True,
            },
        )
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            role.permissions.add(permission)


def create_default_roles(apps: Any, schema_editor: Any = None) -> None:
    grant(apps, {code: spec[4] for code, spec in DEFAULT_ROLES.items()})
