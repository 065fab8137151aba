"""Forms of the SLA settings pages: calendars and agreements in plain, typed text."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date
from typing import Any

from django import forms

from rapport.agreements.models import Agreement, Calendar
from rapport.core.choices import Clock, Priority, StatusCategory
from rapport.directory.models import Team
from rapport.sla.models import Escalation

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_SLOT = re.compile(
    r"^(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d\d:\d\d)\s*-\s*(?P<end>\d\d:\d\d)$"
)
_CLOSED = re.compile(
    r"^(?P<start>\d{4}-\d\d-\d\d)(?:\s*\.\.\s*(?P<end>\d{4}-\d\d-\d\d))?\s*(?P<name>.*)$"
)

_SPAN = r"\d\d:\d\d\s*-\s*\d\d:\d\d"
_OVERRIDE = re.compile(
    rf"^(?P<date>\d{{4}}-\d\d-\d\d)\s+(?P<hours>closed|{_SPAN}(?:\s*,\s*{_SPAN})*)\s*(?P<name>.*)$",
    re.IGNORECASE,
)
_BREAK = re.compile(
    r"^(?P<date>\d{4}-\d\d-\d\d)\s+(?P<start>\d\d:\d\d)\s*-\s*(?P<end>\d\d:\d\d)\s*(?P<name>.*)$"
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def slots_to_text(slots: list[dict[str, Any]]) -> str:
    return "\n".join(f"{DAYS[s['weekday']].title()} {s['start']}-{s['end']}" for s in slots)


def closed_to_text(ranges: list[dict[str, Any]]) -> str:
    out = []
    for r in ranges:
        span = r["start"] if r["start"] == r["end"] else f"{r['start']}..{r['end']}"
        out.append(f"{span} {r.get('name', '')}".strip())
    return "\n".join(out)


def overrides_to_text(overrides: list[dict[str, Any]]) -> str:
    out = []
    for o in overrides:
        hours = ", ".join(f"{h['start']}-{h['end']}" for h in o.get("hours") or ()) or "closed"
        out.append(f"{o['date']} {hours} {o.get('name', '')}".strip())
    return "\n".join(out)


def breaks_to_text(breaks: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{b['date']} {b['start']}-{b['end']} {b.get('name', '')}".strip() for b in breaks
    )


class CalendarForm(forms.Form):
    name = forms.CharField(max_length=200)
    time_zone = forms.CharField(max_length=64, initial="UTC",
                                help_text="An IANA zone, e.g. Europe/Berlin.")  # fmt: skip
    always_open = forms.BooleanField(required=False, label="Always open (24×7)")
    weekly_hours = forms.CharField(
        required=False, widget=forms.Textarea,
        help_text="One slot a line: “Mon-Fri 09:00-17:00”, “Sat 22:00-06:00” (past midnight).",
    )  # fmt: skip
    holiday_country = forms.CharField(required=False, max_length=8,
                                      help_text="ISO code, e.g. DE, US, GB.")  # fmt: skip
    holiday_subdivision = forms.CharField(required=False, max_length=16,
                                          help_text="e.g. BE (Berlin), NY.")  # fmt: skip
    closed_dates = forms.CharField(
        required=False, widget=forms.Textarea,
        help_text="One a line: “2026-12-24..2026-12-31 Year-end shutdown” or one date.",
    )  # fmt: skip
    date_overrides = forms.CharField(
        required=False, widget=forms.Textarea, label="Date overrides",
        help_text="Hours that replace the week's on one date, one a line: “2026-12-24 "
        "09:00-12:00 Christmas Eve”, “2026-06-06 10:00-14:00, 15:00-18:00 Saturday opening”.",
    )  # fmt: skip
    breaks = forms.CharField(
        required=False, widget=forms.Textarea,
        help_text="Time taken out of one date's hours, one a line: "
        "“2026-03-10 12:00-13:30 Team meeting”.",
    )  # fmt: skip

    @classmethod
    def initial_for(cls, calendar: Calendar) -> dict[str, Any]:
        return {
            "name": calendar.name, "time_zone": calendar.time_zone,
            "always_open": calendar.always_open,
            "weekly_hours": slots_to_text(calendar.weekly_hours),
            "holiday_country": calendar.holiday_country,
            "holiday_subdivision": calendar.holiday_subdivision,
            "closed_dates": closed_to_text(calendar.closed_dates),
            "date_overrides": overrides_to_text(calendar.date_overrides),
            "breaks": breaks_to_text(calendar.breaks),
        }  # fmt: skip

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(f"{value!r} is not a time zone (e.g. Europe/Berlin).")
        return value

    def clean_weekly_hours(self) -> list[dict[str, Any]]:
        slots = []
        for number, line in enumerate(_lines(self.cleaned_data["weekly_hours"]), 1):
            match = _SLOT.match(line.lower())
            if not match or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
                raise forms.ValidationError(f"Line {number}: write e.g. “Mon-Fri 09:00-17:00”.")
            first = DAYS.index(match["first"])
            last = DAYS.index(match["last"]) if match["last"] else first
            if last < first:
                raise forms.ValidationError(f"Line {number}: the days run Monday to Sunday.")
            slots += [{"weekday": d, "start": match["start"], "end": match["end"]}
                      for d in range(first, last + 1)]  # fmt: skip
        return slots

    def clean_closed_dates(self) -> list[dict[str, Any]]:
        ranges = []
        for number, line in enumerate(_lines(self.cleaned_data["closed_dates"]), 1):
            match = _CLOSED.match(line)
            try:
                if not match:
                    raise ValueError(line)
                start = date.fromisoformat(match["start"])
                end = date.fromisoformat(match["end"]) if match["end"] else start
            except ValueError:
                raise forms.ValidationError(
                    f"Line {number}: write “2026-12-24..2026-12-31 Name” or one date."
                )
            ranges.append({"start": start.isoformat(), "end": end.isoformat(),
                           "name": match["name"].strip()})  # fmt: skip
        return ranges

    def clean_date_overrides(self) -> list[dict[str, Any]]:
        # Dates and times are checked by the action (field errors come back from it).
        overrides = []
        for number, line in enumerate(_lines(self.cleaned_data["date_overrides"]), 1):
            match = _OVERRIDE.match(line)
            if not match:
                raise forms.ValidationError(
                    f"Line {number}: write “2026-12-24 09:00-12:00 Name” or “… closed Name”."
                )
            hours = []
            if match["hours"].lower() != "closed":
                for span in match["hours"].split(","):
                    start, end = (part.strip() for part in span.split("-"))
                    hours.append({"start": start, "end": end})
            overrides.append({"date": match["date"], "hours": hours,
                              "name": match["name"].strip()})  # fmt: skip
        return overrides

    def clean_breaks(self) -> list[dict[str, Any]]:
        breaks = []
        for number, line in enumerate(_lines(self.cleaned_data["breaks"]), 1):
            match = _BREAK.match(line)
            if not match:
                raise forms.ValidationError(f"Line {number}: write “2026-03-10 12:00-13:00 Name”.")
            breaks.append({"date": match["date"], "start": match["start"], "end": match["end"],
                           "name": match["name"].strip()})  # fmt: skip
        return breaks


PRIORITIES = [p for p in sorted(Priority, reverse=True)]
KINDS = list(Clock)
PAUSABLE = [(StatusCategory.PENDING_CLIENT.value, "Pending client"),
            (StatusCategory.ON_HOLD.value, "On hold")]  # fmt: skip


class AgreementSlaForm(forms.Form):
    """Targets per priority, pauses per clock, warning thresholds and escalations."""

    warning_percents = forms.CharField(
        required=False, max_length=100, label="Warning thresholds (%)",
        help_text="Comma-separated shares of a target, e.g. “50, 75, 90”.",
    )  # fmt: skip
    escalations = forms.CharField(
        required=False, widget=forms.Textarea,
        help_text="One a line: percent (100 = breach), optional clock, action. E.g. "
        "“90 notify assignee team_lead”, “100 resolution raise_priority urgent”, "
        "“100 first_response reassign Customer Support”.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for priority in PRIORITIES:
            for kind in KINDS:
                self.fields[f"{kind.value}_{priority.label}"] = forms.IntegerField(
                    required=False, min_value=1, max_value=10_000_000,
                    label=f"{kind.label}, {priority.label} (minutes)",
                )  # fmt: skip
        for kind in KINDS:
            self.fields[f"pauses_{kind.value}"] = forms.MultipleChoiceField(
                required=False, choices=PAUSABLE, widget=forms.CheckboxSelectMultiple,
                label=f"{kind.label} pauses while",
            )  # fmt: skip

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "warning_percents": ", ".join(str(p) for p in agreement.warning_percents),
            "escalations": "\n".join(
                escalation_line(e)
                for e in Escalation.objects.filter(agreement=agreement).select_related("team")
            ),
        }
        for t in agreement.targets.all():
            label = Priority(t.priority).label
            for kind in KINDS:
                initial[f"{kind.value}_{label}"] = getattr(t, f"{kind.value}_minutes")
        for kind in KINDS:
            initial[f"pauses_{kind.value}"] = (agreement.pauses or {}).get(kind.value, [])
        return initial

    def target_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(p.label), [self[f"{k.value}_{p.label}"] for k in KINDS]) for p in PRIORITIES]

    def pause_fields(self) -> list[forms.BoundField]:
        return [self[f"pauses_{k.value}"] for k in KINDS]

    def clean_warning_percents(self) -> list[int]:
        raw = self.cleaned_data["warning_percents"]
        try:
            values = [int(part) for part in re.split(r"[,\s]+", raw.strip()) if part]
        except ValueError:
            raise forms.ValidationError("Write whole percents, e.g. “50, 75, 90”.")
        if any(not 1 <= v <= 99 for v in values):
            raise forms.ValidationError("Each threshold is from 1 to 99 (100 is the breach).")
        return values

    def clean_escalations(self) -> list[dict[str, Any]]:
        items = []
        for number, line in enumerate(_lines(self.cleaned_data["escalations"]), 1):
            words = line.split()
            where = f"Line {number}"
            if not words or not words[0].isdigit():
                raise forms.ValidationError(f"{where}: start with a percent, e.g. “100 notify …”.")
            item: dict[str, Any] = {"at_percent": int(words[0])}
            rest = words[1:]
            if rest and rest[0] in Clock.values:
                item["clock"], rest = rest[0], rest[1:]
            if not rest:
                raise forms.ValidationError(f"{where}: name an action.")
            action, args = rest[0], rest[1:]
            item["action"] = action
            if action == "notify":
                item["recipients"] = args
            elif action == "raise_priority":
                item["priority"] = args[0] if args else None
            elif action == "reassign":
                team = Team.objects.filter(name__iexact=" ".join(args)).first()
                if team is None:
                    raise forms.ValidationError(f"{where}: there is no team {' '.join(args)!r}.")
                item["team"] = team.pk
            items.append(item)
        return items

    def targets(self) -> list[dict[str, Any]]:
        rows = []
        for priority in PRIORITIES:
            row: dict[str, Any] = {"priority": str(priority.label)}
            for kind in KINDS:
                row[f"{kind.value}_minutes"] = self.cleaned_data.get(
                    f"{kind.value}_{priority.label}"
                )
            if any(row[f"{k.value}_minutes"] for k in KINDS):
                rows.append(row)
        return rows

    def pauses(self) -> dict[str, list[str]]:
        return {k.value: list(self.cleaned_data.get(f"pauses_{k.value}") or []) for k in KINDS}


def escalation_line(e: Escalation) -> str:
    parts = [str(e.at_percent)]
    if e.clock:
        parts.append(e.clock)
    parts.append(e.action)
    if e.action == "notify":
        parts += e.recipients or []
    elif e.action == "raise_priority" and e.priority:
        parts.append(str(Priority(e.priority).label))
    elif e.action == "reassign" and e.team is not None:
        parts.append(e.team.name)
    return " ".join(parts)
