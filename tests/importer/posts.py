"""Hand-written fixture posts for the importer tests."""

from datetime import datetime, timedelta, timezone

import yaml

SGT = timezone(timedelta(hours=8))


def front_matter_post(folder, name, body="正文第一段。\n\n正文第二段。\n", **front_matter):
    """Write ``folder/name`` with ``front_matter`` (title and date defaulted) and return its path."""
    front_matter.setdefault("title", name.rsplit(".", 1)[0])
    front_matter.setdefault("date", datetime(2022, 7, 7, 23, 4, tzinfo=SGT))
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    header = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{header}---\n{body}", encoding="utf-8")
    return path
