"""The DSL's side of the assistant: the organisation profile, the encrypted
concern store, durable delivery and escalation, and the casebook web app."""
