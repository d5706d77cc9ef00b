from django.urls import path

from ..views import requirements, risks

app_name = "followup"

urlpatterns = [
    path("", requirements.requirement_list, name="list"),
    path("<int:requirement_pk>/", requirements.requirement_detail, name="detail"),
    path("<int:requirement_pk>/text/", requirements.write_text, name="write_text"),
    path("<int:requirement_pk>/status/", requirements.update_status, name="update_status"),
    path("<int:requirement_pk>/delivery/", requirements.record_delivery, name="record_delivery"),
    path("risks/", risks.risk_list, name="risks"),
    path("risks/new/", risks.risk_new, name="risk_new"),
    path("risks/<int:risk_pk>/", risks.risk_detail, name="risk"),
    path("risks/<int:risk_pk>/edit/", risks.risk_edit, name="risk_edit"),
]
