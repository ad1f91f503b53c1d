"""Learning figures pre-aggregated per team and quarter, kept in step with the case records by database
triggers: what the dashboard, the report and the recurring rules read instead of grouping every bottleneck."""
