"""The app layer shared by the pages: cached loading, the sidebar filter, chart and table display.

Pages read widgets, call ``mag_data`` and render; this package is the only Streamlit glue.
"""
