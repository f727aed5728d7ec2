"""Strategic plans, projects with indicators and progress, and feasibility assessments.

The models live in ``plans``, ``projects`` and ``feasibility``; every name is re-exported here,
so ``from projects.models import X`` is the way to import them.
"""

from projects.models.feasibility import (
    PCT_CHANGE_VALIDATORS,
    PERIOD_CHOICES,
    CashFlowLine,
    FeasibilityAssessment,
    FeasibilityAssessmentQuerySet,
    InvestmentItem,
    LoanMethod,
    Scenario,
)
from projects.models.plans import (
    YEAR_BE_VALIDATORS,
    Goal,
    IndicatorTarget,
    PlanIndicator,
    StrategicPlan,
    StrategicPlanQuerySet,
    Strategy,
    SwotItem,
)
from projects.models.projects import (
    ProgressUpdate,
    Project,
    ProjectIndicator,
    ProjectIndicatorPeriod,
    ProjectQuerySet,
    ProjectStatusEvent,
)

__all__ = [
    "PCT_CHANGE_VALIDATORS",
    "PERIOD_CHOICES",
    "YEAR_BE_VALIDATORS",
    "CashFlowLine",
    "FeasibilityAssessment",
    "FeasibilityAssessmentQuerySet",
    "Goal",
    "IndicatorTarget",
    "InvestmentItem",
    "LoanMethod",
    "PlanIndicator",
    "ProgressUpdate",
    "Project",
    "ProjectIndicator",
    "ProjectIndicatorPeriod",
    "ProjectQuerySet",
    "ProjectStatusEvent",
    "Scenario",
    "StrategicPlan",
    "StrategicPlanQuerySet",
    "Strategy",
    "SwotItem",
]
