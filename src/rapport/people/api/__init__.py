"""The people app's API: one router per area (people/api/<area>.py), added here."""

from __future__ import annotations

from ninja import Router

router = Router()
