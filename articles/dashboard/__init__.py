"""The admin's index as the curators' dashboard: the archive's state at a glance, every number a link.

- ``registry``: the panels, each a function registered with ``@panel(order)``: a new panel (the
  git sources', say) is one function and one template, added in one place
- ``panels``: the built-in panels (articles, imports, images, source links, storage)
- ``sizes``: the database's and the search index's bytes, each one cheap query
- ``site``: the admin site: the archive's name in its header and title, curators' models first,
  the panels on its index (``apps.ArchiveAdminConfig`` makes it the default site)
"""
