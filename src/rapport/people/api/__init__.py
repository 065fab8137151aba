"""The people app's API: one router per area (people/api/<area>.py), added here."""

from __future__ import annotations

from ninja import Router

from rapport.people.api.training import router as training_router

router = Router()
router.add_router("", training_router)
