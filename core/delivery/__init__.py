"""The DSL handoff: routing, the outbox worker, transports and escalation."""
