"""The quarterly management report (managementrapportage) for the council: HTML, PDF and CSV."""
