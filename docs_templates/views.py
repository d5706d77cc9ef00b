"""The template page: legal staff and administrators see the versions and upload a new one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement, TemplateVersion
from agreements.permissions import may_manage_templates

from .package import MAX_TEMPLATE_BYTES
from .versions import do_upload_template, ensure_shipped_templates


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Avtaletype"), choices=Agreement.Kind.choices)
    file = forms.FileField(
        label=gettext_lazy("Word-mal (.docx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refuse by size before reading: a large upload must not be read into memory at all.
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(
                _("Filen er for stor. Grensen er %(mb)s MB.")
                % {"mb": MAX_TEMPLATE_BYTES // (1024 * 1024)}
            )
        return upload


@login_required
def template_list(request):
    if not may_manage_templates(request.user):
        raise PermissionDenied(_("Bare jurister og administratorer kan se og laste opp maler."))
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                version = do_upload_template(
                    request.user, form.cleaned_data["kind"], upload.read(), upload.name
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("%(version)s er lastet opp og tatt i bruk.") % {"version": version}
                )
                return redirect("docs_templates:list")
        messages.error(request, _("Malen ble ikke lagret. Se merknadene nedenfor."))
    ensure_shipped_templates()
    return render(
        request,
        "docs_templates/template_list.html",
        {"form": form, "versions": TemplateVersion.objects.select_related("uploaded_by")},
    )
