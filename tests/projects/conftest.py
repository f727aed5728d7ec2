from __future__ import annotations

from types import SimpleNamespace

import pytest

from projects.models import FeasibilityAssessment, Project
from tests.projects.factories import make_assessment, make_institution, make_plan, make_project


@pytest.fixture
def world(geo, officer):
    """Province A's records: an institution with a plan, a project and a submitted assessment."""
    inst = make_institution(geo.office_a)
    plan = make_plan(inst)
    project = make_project(inst, plan=plan, status=Project.Status.IN_PROGRESS)
    assessment = make_assessment(inst, project=project, created_by=officer)
    FeasibilityAssessment.objects.filter(pk=assessment.pk).update(
        status=FeasibilityAssessment.Status.SUBMITTED
    )
    assessment.refresh_from_db()
    return SimpleNamespace(institution=inst, plan=plan, project=project, assessment=assessment)
