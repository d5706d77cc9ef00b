from django.urls import path

from . import views_reports

app_name = "reports"

urlpatterns = [
    path("uncovered/letter.docx", views_reports.uncovered_letter, name="uncovered_letter"),
]
