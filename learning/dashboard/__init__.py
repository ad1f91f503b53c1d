"""The managers' dashboard: recurring rules, their cost, life domains, mandate, feedback and follow-up."""
