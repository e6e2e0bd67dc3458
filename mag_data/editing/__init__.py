"""Changing the register: an upload turned into a reviewed change (``review``), the versioned
register folder with history and restore (``store``), atomic writes and the lock (``files``),
editor sign-in (``auth``) and coordinates for a new city (``geocode``)."""
