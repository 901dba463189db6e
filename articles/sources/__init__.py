"""Sources: git repositories the archive follows commit by commit (issue 22).

``git`` and ``blobs`` run the git program on a source's bare clone; ``locations`` checks what a
source is given; ``changes`` works out what a sync must do; ``sync`` does it under the source's
``lock``, through the importer; ``removals`` keeps what sources delete; ``schedule`` and ``tasks``
queue syncs for the worker; ``signatures`` checks push notifications.
"""
