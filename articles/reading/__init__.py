"""What a reader reads in: the interface language (``languages``), the script articles are shown in
(``choice``), and the conversion into it (``convert``)."""
