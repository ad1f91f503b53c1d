"""Recurrence by meaning: bottlenecks about the same rule, however worded, grouped into clusters that
management can merge and split."""
