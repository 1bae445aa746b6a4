"""Assistant replies as Teams activities: text with buttons as suggested actions."""

from __future__ import annotations

from microsoft_agents.activity import (
    ActionTypes,
    Activity,
    ActivityTypes,
    CardAction,
    SuggestedActions,
)

from channels.gateway import Reply


def reply_activity(incoming: Activity, reply: Reply) -> Activity:
    activity = incoming.create_reply(reply.text)
    if reply.buttons:
        # imBack posts the title back as the user's own words, as a person would have typed it.
        activity.suggested_actions = SuggestedActions(
            to=[incoming.from_property.id],
            actions=[CardAction(type=ActionTypes.im_back, title=b.title, value=b.title) for b in reply.buttons],
        )
    return activity


def typing_activity(incoming: Activity) -> Activity:
    activity = incoming.create_reply()
    activity.type = ActivityTypes.typing
    return activity
