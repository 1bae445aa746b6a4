"""Microsoft Teams channel, built on the Microsoft 365 Agents SDK (microsoft-agents-*)."""
