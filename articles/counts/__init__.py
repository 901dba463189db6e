"""Counts of articles per month kept in the database: the archive's timelines and the admin's dashboard.

- ``keeping.kept(ids)`` wraps a write of articles so their counts follow it (saves, deletions and
  links through the ORM are wrapped by ``signals``); ``keeping.rebuild()`` counts everything again
- ``reading.months(kind, key)``, ``reading.tag_totals()``, ``reading.statuses()``: the counts as
  readers see them (scheduled articles left out until their time comes)
- ``months``: a month as a number, in Python and in SQL (``LocalMonth``), in the site time zone
"""
