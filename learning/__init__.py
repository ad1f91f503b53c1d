"""Rule bottlenecks, tags, outcome feedback, trends and reports: feedback from practice to policy."""
