"""Forms for the structured terms: one form for the kind's terms row, one formset per list."""

from django import forms
from django.forms.models import model_to_dict, modelform_factory
from django.utils.translation import gettext_lazy as _

from ..checklist import ITEMS, check_not_applicable
from ..kinds import kind_spec
from ..models import Agreement, DataProcessorTerms
from ..terms import rows_of, term_field_names, terms_of

_ITEM_LABELS = {f"{item.key}_na": item.label for item in ITEMS if not item.mandatory}
_MANDATORY_FLAGS = [f"{item.key}_na" for item in ITEMS if item.mandatory]


def _terms_form_class(kind: str) -> type[forms.ModelForm]:
    model = kind_spec(kind).terms_model
    names = term_field_names(model)
    widgets = {
        f.name: forms.Textarea(attrs={"rows": 3})
        for f in model._meta.fields
        if f.name in names and f.get_internal_type() == "TextField"
    }
    if model is DataProcessorTerms:
        # What Art. 28(3) requires has no "ikke aktuelt" box; a posted flag is refused in clean().
        names = [name for name in names if name not in _MANDATORY_FLAGS]
        return modelform_factory(model, form=_DataProcessorTermsForm, fields=names, widgets=widgets)
    return modelform_factory(model, fields=names, widgets=widgets)


class _DataProcessorTermsForm(forms.ModelForm):
    def clean(self):
        posted = {
            name: forms.BooleanField(required=False).to_python(self.data.get(name))
            for name in _MANDATORY_FLAGS
        }
        try:
            check_not_applicable(posted)
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return super().clean()


def make_terms_form(agreement: Agreement, data=None) -> forms.ModelForm:
    form = _terms_form_class(agreement.kind)(data=data, instance=terms_of(agreement))
    if isinstance(form.instance, DataProcessorTerms):
        for name, label in _ITEM_LABELS.items():
            form.fields[name].label = _("«%(item)s» er ikke aktuelt") % {"item": label}
    return form


class _RowFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The kept rows' values, in order, without the empty extra forms and deleted ones."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def make_row_formsets(agreement: Agreement, data=None) -> dict[str, forms.BaseFormSet]:
    formsets = {}
    current = rows_of(agreement)
    for related_name, model in kind_spec(agreement.kind).row_models.items():
        names = term_field_names(model)
        form_class = modelform_factory(model, fields=names)
        formset_class = forms.formset_factory(
            form_class, formset=_RowFormSet, extra=2, can_delete=True, max_num=500
        )
        formsets[related_name] = formset_class(
            data=data,
            prefix=related_name,
            initial=[model_to_dict(row, fields=names) for row in current[related_name]],
        )
        formsets[related_name].title = model._meta.verbose_name_plural
    return formsets


class TermsEditor:
    """The kind's terms form and one formset per list, validated together as one page."""

    def __init__(self, agreement: Agreement, data=None):
        self.form = make_terms_form(agreement, data)
        self.formsets = make_row_formsets(agreement, data)

    def is_valid(self) -> bool:
        return self.form.is_valid() and all(fs.is_valid() for fs in self.formsets.values())

    def rows(self) -> dict[str, list[dict]]:
        """Each list's complete new rows, as ``terms.do_update_terms`` takes them."""
        return {name: formset.rows() for name, formset in self.formsets.items()}
