"""The demo corpus behind `casebook demo`: situation templates as YAML data (`models.py` says how to add
one), a seeded generator and the loader."""
