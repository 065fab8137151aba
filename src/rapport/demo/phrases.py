"""Phrases the demo's threads are made of: thanks, follow-ups, notes, and the shapes
of a conversation."""

from __future__ import annotations

from rapport.core.choices import Priority

THANKS = (
    "Thanks {agent}, that fixed it.",
    "Confirmed, it works again. Thank you!",
    "Great, all good on our side now.",
    "Perfect, thanks for the quick help.",
)
STILL = (
    "Sorry, it is happening again this morning, same as before.",
    "That helped for a day, but the problem is back.",
    "Unfortunately this didn't solve it; we see the same thing.",
)
FOLLOW_UP = (
    "Thanks for the details. I've escalated this to our second-line team and will update "
    "you by tomorrow.",
    "I can reproduce it now. We're working on a fix and I'll keep you posted.",
)
REFIX = (
    "Sorry it came back. We found a second cause and fixed that as well; please let us know "
    "if you see it again.",
    "Apologies: the first fix didn't stick. It's now fixed at the source.",
)
DUPLICATES = (
    "Sending this again as I haven't heard back. Any update?",
    "Following up on my earlier message; this is getting urgent.",
)
NOTES = (
    "Checked the logs: nothing unusual on our side before the report.",
    "Client called in and sounded frustrated; worth a personal follow-up.",
    "Similar to a ticket from the same client last month.",
    "Waiting for second-line to confirm before promising a date.",
)
PRIORITY_NOTES = {
    Priority.URGENT: "Raised to urgent: it blocks their whole team.",
    Priority.HIGH: "Raised to high: deadline this week.",
    Priority.LOW: "Lowered to low: a workaround exists.",
    Priority.NORMAL: "Back to normal priority after talking to the client.",
}
NEW_HIRES = ("Mia Lehmann", "Noah Williams", "Sara Ahmed", "Luca Bianchi")

# Thread shapes by number of replies after the opening message
# (p = provider, c = client; the last provider reply solves the ticket).
SHAPES = {
    1: ("p:fix",),
    2: ("p:fix", "c:thanks"),
    3: ("p:ask", "c:info", "p:fix"),
    4: ("p:ask", "c:info", "p:fix", "c:thanks"),
    5: ("p:ask", "c:info", "p:follow_up", "c:still", "p:fix"),
}

# What an unhappy client writes: the proactive app reads these as negative.
COMPLAINTS = (
    "This is the third time I have had to chase this. Frankly it is not acceptable.",
    "Still broken. We are losing sales every hour this drags on and nobody seems to care.",
    "I am really disappointed with how slow this has been. We expected much better.",
    "Nobody has answered for days. This is unacceptable; I will raise it with our account manager.",
    "Thanks, I suppose, but this took far too long and caused us a lot of trouble.",
)
FRUSTRATED = (
    "Honestly, we are getting very frustrated with the response times.",
    "Please hurry, this is hurting our business badly.",
    "Why does every simple request take this long?",
)
# What clients say when they rate, by how they rated (1 to 5).
RATING_COMMENTS = {
    1: ("Far too slow, and I had to chase every step.", "Terrible experience, nobody owned it."),
    2: ("Solved in the end, but it took much too long.", "Had to explain the problem three times."),
    3: ("OK, but it could have been quicker.",),
    4: ("Good help, thanks.", "Sorted quickly."),
    5: ("Excellent, fast and friendly!", "Jonas was great, thank you.", "Perfect, thanks a lot."),
}
