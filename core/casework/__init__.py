"""The DSL's work on a concern: decisions, referrals, responses, follow-ups, closing, statutory clocks."""
