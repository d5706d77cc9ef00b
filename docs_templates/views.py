"""The template page: legal staff and administrators see the versions; legal staff of Helse Nord
IKT and administrators upload a new one (the templates are shared by every organisation)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement
from agreements.permissions import may_manage_templates, may_view_templates

from .overview import template_versions, unstored_shipped_templates
from .package import MAX_TEMPLATE_BYTES
from .versions import do_upload_template

# Leaves room for the "templates/<kind>/v<n>-" prefix within a file system's 255-byte names.
MAX_FILENAME_LENGTH = 100


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Avtaletype"), choices=Agreement.Kind.choices)
    file = forms.FileField(
        label=gettext_lazy("Word-mal (.docx)"),
        max_length=MAX_FILENAME_LENGTH,
        error_messages={
            "max_length": gettext_lazy(
                "Filnavnet er for langt (%(length)d tegn; høyst %(max)d). "
                "Gi filen et kortere navn og last den opp på nytt."
            )
        },
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
    if not may_view_templates(request.user):
        raise PermissionDenied(_("Bare jurister og administratorer kan se malene."))
    may_upload = may_manage_templates(request.user)
    form = TemplateUploadForm() if may_upload else None
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied(
                _(
                    "Malene er felles for alle helseforetakene og forvaltes av Helse Nord IKT. "
                    "Bare jurister i Helse Nord IKT og administratorer kan laste opp nye maler."
                )
            )
        form = TemplateUploadForm(request.POST, request.FILES)
        if _upload(request, form):
            return redirect("docs_templates:list")
    context = {
        "form": form,
        "page": template_versions(request.GET.get("page")),
        "shipped": unstored_shipped_templates(),
    }
    return render(request, "docs_templates/template_list.html", context)


def _upload(request, form: TemplateUploadForm) -> bool:
    """Store the uploaded template if it is valid; messages say how it went."""
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
            return True
    messages.error(request, _("Malen ble ikke lagret. Se merknadene nedenfor."))
    return False
