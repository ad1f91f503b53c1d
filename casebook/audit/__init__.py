"""Append-only audit trail: who did what to which object, without the content itself."""
