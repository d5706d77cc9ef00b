"""Forms for a supplier organisation and its contact persons. They parse; the use cases in
``agreements.suppliers.organisations`` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..orgnumbers import validate_org_number
from ..suppliers.organisations import ContactData


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=11,
        validators=[validate_org_number],
        help_text=_("Ni siffer, som i Enhetsregisteret (mellomrom er greit)."),
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(label=_("E-post"))
    may_sign = forms.BooleanField(label=_("Kan signere"), required=False)


class _ContactFormSet(forms.BaseFormSet):
    def contacts(self) -> list[ContactData]:
        """The kept contacts, without empty extra rows and rows marked for deletion."""
        return [
            ContactData(
                form.cleaned_data["name"], form.cleaned_data["email"], form.cleaned_data["may_sign"]
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


ContactFormSet = forms.formset_factory(
    ContactForm, formset=_ContactFormSet, extra=2, can_delete=True, max_num=100
)


def contact_initial(supplier) -> list[dict]:
    return [
        {"name": c.name, "email": c.email, "may_sign": c.may_sign} for c in supplier.contacts.all()
    ]
