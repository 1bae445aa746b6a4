"""Who may use the casebook: users, roles, sign-in secrets and the append-only audit log."""
