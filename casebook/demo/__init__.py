"""The demo corpus behind `casebook demo`: situation templates, a seeded generator and the loader."""
