"""In-app notifications: what a user should know about (feedback on their case), until they mark it read."""
