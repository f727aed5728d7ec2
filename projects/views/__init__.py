"""Pages for plans, projects and feasibility assessments. Views orchestrate; services write."""

from projects.views.assessments import (
    AssessmentDecideView,
    AssessmentExportView,
    AssessmentGridTemplateView,
    AssessmentGridUploadView,
    AssessmentPdfView,
    AssessmentSubmitView,
    FeasibilityAssessmentDetailView,
    FeasibilityAssessmentEditView,
    FeasibilityAssessmentListView,
    InstitutionTabView,
    loan_create_url,
)
from projects.views.plans import (
    StrategicPlanDetailView,
    StrategicPlanEditView,
    StrategicPlanListView,
    StrategicPlanStrategiesView,
    StrategicPlanTargetsView,
)
from projects.views.projects import (
    ProjectDetailView,
    ProjectEditView,
    ProjectIndicatorsView,
    ProjectListView,
    ProjectProgressView,
    ProjectStatusView,
)

__all__ = [
    "AssessmentDecideView",
    "AssessmentExportView",
    "AssessmentGridTemplateView",
    "AssessmentGridUploadView",
    "AssessmentPdfView",
    "AssessmentSubmitView",
    "FeasibilityAssessmentDetailView",
    "FeasibilityAssessmentEditView",
    "FeasibilityAssessmentListView",
    "InstitutionTabView",
    "ProjectDetailView",
    "ProjectEditView",
    "ProjectIndicatorsView",
    "ProjectListView",
    "ProjectProgressView",
    "ProjectStatusView",
    "StrategicPlanDetailView",
    "StrategicPlanEditView",
    "StrategicPlanListView",
    "StrategicPlanStrategiesView",
    "StrategicPlanTargetsView",
    "loan_create_url",
]
