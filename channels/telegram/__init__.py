"""Telegram channel (python-telegram-bot): long polling or a verified webhook."""
