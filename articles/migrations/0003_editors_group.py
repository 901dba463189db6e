"""Curation roles: the "Editors" group and the permission to run imports from the admin.

Also lets change reasons be longer than 100 characters, since bulk tag edits write their tag
lists there.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS = "Editors"
RUN_IMPORT = ("run_import", "Can run imports from the admin")

# (app label, model, actions); no delete of articles, nothing of auth.
EDITOR_PERMISSIONS = [
    ("articles", "article", ("view", "add", "change")),
    ("articles", "category", ("view", "add", "change")),
    ("articles", "categoryalias", ("view", "add", "change")),
    ("articles", "tagalias", ("view", "add", "change")),
    ("articles", "articleredirect", ("view", "add", "change")),
    ("articles", "importrun", ("view",)),
    ("articles", "historicalarticle", ("view",)),
    ("taggit", "tag", ("view", "add", "change")),
]


def create_editors_group(apps, schema_editor):
    # On a fresh database the permissions do not exist until post_migrate; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    import_run_type = ContentType.objects.get(app_label="articles", model="importrun")
    run_import, _ = Permission.objects.get_or_create(
        content_type=import_run_type, codename=RUN_IMPORT[0], defaults={"name": RUN_IMPORT[1]}
    )
    permissions = [run_import]
    for app_label, model, actions in EDITOR_PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        permissions += Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(*permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()
    apps.get_model("auth", "Permission").objects.filter(codename=RUN_IMPORT[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalarticle",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.RunPython(create_editors_group, remove_editors_group),
    ]
