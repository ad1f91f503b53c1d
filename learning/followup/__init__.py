"""Closing the loop for a coach: notifications (feedback received) and agreed actions that are open or
overdue, on the start page."""
