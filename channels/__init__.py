"""Channels: how people reach the assistant (Telegram, Teams, web chat) and how DSLs are reached back."""
