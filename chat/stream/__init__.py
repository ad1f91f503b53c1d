"""The stream of a discussion: its numbered events (messages and the room's other events), as stored and
as sent."""
