"""A timestamp no longer keeps a copy of its segment's text.

The claim's HTML holds every segment (`<span class="seg" data-segment>`), which is what pages
show and follow; the copy was read by nothing and was an eighth of a database's size.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("episodes", "0003_link_keys")]

    operations = [migrations.RemoveField(model_name="timestamp", name="segment")]
