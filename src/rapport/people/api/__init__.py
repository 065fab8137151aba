"""The people app's API: one router per area (people/api/<area>.py), added here."""

from __future__ import annotations

from ninja import Router

from rapport.people.api.hiring import router as hiring_router
from rapport.people.api.kudos import router as kudos_router
from rapport.people.api.pulse import router as pulse_router
from rapport.people.api.quality import router as quality_router
from rapport.people.api.training import router as training_router

router = Router()
router.add_router("", hiring_router)
router.add_router("", training_router)
router.add_router("", quality_router)
router.add_router("", kudos_router)
router.add_router("", pulse_router)
