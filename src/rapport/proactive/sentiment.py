"""Scoring a client's message, and telling when a conversation is going sour.

VADER (Hutto & Gilbert, ICWSM 2014) is a lexicon and rule-based scorer tuned for short,
informal text: it reads negation ("not happy"), intensifiers ("extremely"), capitals
and exclamation marks, which is how clients write to a helpdesk. Its lexicon ships in
the wheel, nothing is downloaded. The score is its `compound` value, already −1…+1.

VADER's cost grows with the square of a text's length (it looks words up by
position in the whole text): 2,000 characters in one call took 50 ms, one short
sentence 0.2 ms. So a message is scored sentence by sentence and the compound values
averaged, as VADER's own README advises for paragraphs: at most `MAX_SENTENCES`
sentences of at most `MAX_SENTENCE` characters (the newest text: quotes are stripped
before a message is written). That bounds a message's cost; `make bench-proactive`
measures the p95 (target 2 ms or less).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

MAX_SENTENCES = 8
MAX_SENTENCE = 240
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
# Below this a single message is sour on its own: VADER's authors call ≤ −0.05
# negative; −0.5 is a message that is clearly angry, not merely reporting a fault.
SOUR_BELOW = -0.5


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    # Loaded on first use, not at start-up: reading the lexicon takes ~50 ms and a few
    # MiB that a web process that never scores should not pay.
    return SentimentIntensityAnalyzer()


def score(text: str) -> float | None:
    """−1 (hostile) … +1 (delighted); None for a message with no words to score."""
    sentences = [s.strip()[:MAX_SENTENCE] for s in _SENTENCES.split(text[: 40 * MAX_SENTENCE])]
    sentences = [s for s in sentences if any(c.isalpha() for c in s)][:MAX_SENTENCES]
    if not sentences:
        return None
    analyzer = _analyzer()
    total = sum(float(analyzer.polarity_scores(s)["compound"]) for s in sentences)
    return round(total / len(sentences), 4)


def is_sour(scores: Sequence[float | None]) -> bool:
    """The client's messages in order, oldest first: going sour when the last two each
    fell below the one before (three messages sliding down), or the last one is
    below `SOUR_BELOW`."""
    known = [s for s in scores if s is not None]
    if not known:
        return False
    if known[-1] < SOUR_BELOW:
        return True
    return len(known) >= 3 and known[-3] > known[-2] > known[-1]
