"""The counting engine: the one ``Filter`` and its ``View`` (``filters``), the integer arrays
derived once per registry (``index``, ``cells``), and every number and table on screen
(``aggregations``, ``tables``)."""
