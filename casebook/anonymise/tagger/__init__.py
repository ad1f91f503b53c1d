"""A context-aware token tagger for names, addresses and places (see model.py), trained on seeded
synthetic text (synth.py, templates.py, origins.py; scripts/train_name_tagger.py)."""
