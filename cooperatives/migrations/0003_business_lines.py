from django.db import migrations

LINES = [
    ("credit", "สินเชื่อ", 1),
    ("deposits", "รับฝากเงิน", 2),
    ("supply", "จัดหาสินค้ามาจำหน่าย", 3),
    ("collection", "รวบรวมผลผลิต", 4),
    ("processing", "แปรรูปผลผลิต", 5),
    ("services", "ให้บริการและส่งเสริมการเกษตร", 6),
]


def add_lines(apps, schema_editor):
    BusinessLine = apps.get_model("cooperatives", "BusinessLine")
    for code, name, order in LINES:
        BusinessLine.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0002_initial")]
    operations = [migrations.RunPython(add_lines, migrations.RunPython.noop)]
