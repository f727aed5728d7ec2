from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    # strategic plans
    path("plans/", views.StrategicPlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.StrategicPlanEditView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.StrategicPlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.StrategicPlanEditView.as_view(), name="plan_update"),
    path("plans/<int:pk>/strategies/", views.StrategicPlanStrategiesView.as_view(), name="plan_strategies"),
    path("plans/<int:pk>/targets/", views.StrategicPlanTargetsView.as_view(), name="plan_targets"),
    # projects
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("new/", views.ProjectEditView.as_view(), name="project_create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_update"),
    path("<int:pk>/status/", views.ProjectStatusView.as_view(), name="project_status"),
    path("<int:pk>/progress/", views.ProjectProgressView.as_view(), name="project_progress"),
    path("<int:pk>/indicators/", views.ProjectIndicatorsView.as_view(), name="project_indicators"),
    # feasibility assessments
    path("assessments/", views.FeasibilityAssessmentListView.as_view(), name="assessment_list"),
    path("assessments/new/", views.FeasibilityAssessmentEditView.as_view(), name="assessment_create"),
    path("assessments/<int:pk>/", views.FeasibilityAssessmentDetailView.as_view(), name="assessment_detail"),
    path(
        "assessments/<int:pk>/edit/", views.FeasibilityAssessmentEditView.as_view(), name="assessment_update"
    ),
    path("assessments/<int:pk>/submit/", views.AssessmentSubmitView.as_view(), name="assessment_submit"),
    path(
        "assessments/<int:pk>/approve/",
        views.AssessmentDecideView.as_view(approve=True),
        name="assessment_approve",
    ),
    path(
        "assessments/<int:pk>/reject/",
        views.AssessmentDecideView.as_view(approve=False),
        name="assessment_reject",
    ),
    path(
        "assessments/<int:pk>/grid.xlsx",
        views.AssessmentGridTemplateView.as_view(),
        name="assessment_grid_template",
    ),
    path(
        "assessments/<int:pk>/grid/upload/",
        views.AssessmentGridUploadView.as_view(),
        name="assessment_grid_upload",
    ),
    path("assessments/<int:pk>/export.xlsx", views.AssessmentExportView.as_view(), name="assessment_export"),
    path("assessments/<int:pk>/pdf/", views.AssessmentPdfView.as_view(), name="assessment_pdf"),
    # institution page tab (htmx fragment)
    path("institution/<int:institution_pk>/tab/", views.InstitutionTabView.as_view(), name="institution_tab"),
]
