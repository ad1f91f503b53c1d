"""Discussions (casusoverleg) on a case: planning, participants and access, invitations, and the anonymiser
each discussion keeps in memory."""
