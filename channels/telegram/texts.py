"""What the Telegram bot says on its own (everything else comes from the assistant)."""

from __future__ import annotations

from core.safety import CHILDLINE, EMERGENCY, NSPCC

EXIT_BUTTON = "Quick exit"
WELCOME = (
    "Hello. I can help if you are worried about a child or young person, or about yourself.\n"
    f"{EMERGENCY}\n"
    "What you tell me is not a secret: if someone is being hurt or is at risk, it has to be passed "
    "to people whose job is to help keep them safe.\n"
    "Type what is happening, in your own words. Tap Quick exit or send /exit to clear this chat at any time."
)
HELP = (
    "Type what is happening and I will tell you what to do next.\n"
    "/exit - quick exit: removes my messages from this chat\n"
    f"{CHILDLINE} Adults worried about a child: {NSPCC} {EMERGENCY}"
)
EXITED = (
    "Done. To remove anything left, press and hold this chat in your chat list and choose Delete "
    "(and tick the box to delete it for everyone if you see one)."
)
NOT_TEXT = (
    "I can only read typed messages, so please type what is happening. "
    f"Please do not send photos or videos of anyone. {EMERGENCY}"
)
EDITED = "I only read new messages. If you changed something important, please send it again as a new message."
PRIVATE_ONLY = "Please message me in a private chat, not in a group: what you tell me should not be shared here."
