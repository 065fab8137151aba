"""The built-in hiring dimensions, anchored levels, and equal weights unless a reason."""

from __future__ import annotations

import pytest

from rapport.core.errors import Invalid
from rapport.people.actions import training
from rapport.people.models import RubricCategory
from rapport.people.tests.training_world import OWN, scenario
from rapport.testing import build_world


@pytest.mark.django_db
def test_hiring_dimensions_are_built_in_once_with_five_anchors() -> None:
    first = training.ensure_hiring_dimensions()
    again = training.ensure_hiring_dimensions()
    assert first.pk == again.pk
    dims = list(first.categories.all())
    assert [d.built_in for d in dims] == ["friendly", "trainable", "competent"]
    assert all(len(d.anchors) == 5 and d.weight == 1 for d in dims)


@pytest.mark.django_db
def test_a_scenario_rubric_adds_its_own_dimension_to_the_three() -> None:
    world = build_world()
    s = scenario(world)
    names = list(s.rubric.categories.values_list("name", flat=True))
    assert names == ["Friendly", "Trainable", "Competent", "Followed the refund procedure"]
    assert RubricCategory.objects.filter(built_in="friendly").count() == 2


@pytest.mark.django_db
def test_a_weight_other_than_equal_needs_a_reason() -> None:
    world = build_world()
    heavy = [{**OWN[0], "weight": 3}]
    with pytest.raises(Invalid) as err:
        scenario(world, dimensions=heavy)
    assert err.value.field == "dimensions.0.weight_reason"
    s = scenario(world, dimensions=[{**heavy[0], "weight_reason": "Refunds are regulated"}])
    own = s.rubric.categories.get(built_in="")
    assert (own.weight, own.weight_reason) == (3, "Refunds are regulated")


@pytest.mark.django_db
def test_anchors_are_one_per_level() -> None:
    world = build_world()
    with pytest.raises(Invalid):
        scenario(world, dimensions=[{"name": "Tone", "anchors": ["bad", "good"]}])
