"""Analyses beyond counting: geodesic distances and map framing (``geo``), the cooperation
network (``network``), the partner finder (``partners``) and the city search (``search``)."""
