"""Your own account: time zone and password."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django import forms


@lru_cache(maxsize=1)
def zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, by region; "Etc/" and legacy aliases left out as nobody picks them."""
    zones = sorted(
        z for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/")) and z != "localtime"
    )  # fmt: skip
    return [("", "UTC (the site's default)"), *((z, z.replace("_", " ")) for z in zones)]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(choices=zone_choices, required=False, label="Time zone")
