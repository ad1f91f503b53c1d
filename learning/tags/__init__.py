"""Management's tag taxonomy, tagging many bottlenecks at once, and tags on cases."""
