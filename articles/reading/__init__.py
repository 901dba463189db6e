"""The reading script: which script a reader reads articles in (``choice``), and the conversion (``convert``)."""
