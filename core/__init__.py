"""The product's core: settings, organisation profile, store, delivery, access and case work.

Imports nothing from channels, actions, casebook or bot (tests/test_architecture.py)."""
