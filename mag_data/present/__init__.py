"""Presentation: the one palette (``palette``), the chart builders (``charts``), downloads
(``export``), static images (``render``) and the slide deck (``deck``). Figures are built here
and never displayed here."""
