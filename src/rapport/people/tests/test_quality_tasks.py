"""The people app's scheduled work runs: the sample, follow-ups, pulse rounds."""

from __future__ import annotations

from rapport.people import tasks
from rapport.people.actions import pulse
from rapport.people.models import PulseRound
from rapport.testing import World


def test_scheduled_work(world: World) -> None:
    pulse.set_up_pulse(None, world.support, cadence="weekly")
    assert tasks.pulse_rounds.call_local() == 1
    assert tasks.pulse_rounds.call_local() == 0  # the cadence has not come round yet
    assert PulseRound.objects.count() == 1
    assert tasks.weekly_review_sample.call_local() == 0
    assert tasks.coaching_follow_ups.call_local() == 0
