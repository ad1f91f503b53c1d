"""The case record: situation, life domains, plan, decisions, actions, outcome, bottlenecks."""
