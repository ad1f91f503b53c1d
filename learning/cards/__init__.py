"""Rule cards: one card per recurring rule, so a coach in the next case knows what the rule says, who can
change it, and what room the law already gives to deviate."""
