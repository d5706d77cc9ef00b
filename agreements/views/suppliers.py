"""Supplier organisations and their contact persons, for service managers and administrators.
Views parse input, look up through ``suppliers.organisations.access_supplier``, call one use
case; everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms.suppliers import ContactFormSet, SupplierForm, contact_initial
from ..suppliers.history import supplier_history
from ..suppliers.organisations import (
    access_supplier,
    do_create_supplier,
    do_update_supplier,
    manageable_suppliers,
    may_manage_suppliers,
)


@login_required
def supplier_list(request):
    if not may_manage_suppliers(request.user):
        raise Http404("No such page")
    suppliers = manageable_suppliers(request.user).annotate(
        contact_count=Count("contacts"),
        signer_count=Count("contacts", filter=Q(contacts__may_sign=True)),
    )
    return render(request, "agreements/suppliers/list.html", {"suppliers": suppliers})


@login_required
def supplier_new(request):
    if not may_manage_suppliers(request.user):
        raise Http404("No such page")
    return _supplier_page(request, None, do_create_supplier)


@login_required
def supplier_edit(request, pk):
    supplier = access_supplier(request.user, pk)
    return _supplier_page(
        request,
        supplier,
        lambda actor, **data: do_update_supplier(actor, supplier, **data),
    )


def _supplier_page(request, supplier, save):
    posted = request.method == "POST"
    initial = {"name": supplier.name, "org_number": supplier.org_number} if supplier else None
    form = SupplierForm(request.POST if posted else None, initial=initial)
    contacts = ContactFormSet(
        request.POST if posted else None,
        prefix="contacts",
        initial=contact_initial(supplier) if supplier else None,
    )
    if posted and _saved(request, form, contacts, save):
        messages.success(request, _("Leverandøren er lagret."))
        return redirect("suppliers:list")
    if posted:
        messages.error(request, _("Skjemaet har feil. Se merknadene nedenfor."))
    history = supplier_history(supplier) if supplier else []
    context = {"supplier": supplier, "form": form, "contacts": contacts, "history": history}
    return render(request, "agreements/suppliers/form.html", context)


def _saved(request, form, contacts, save) -> bool:
    if not (form.is_valid() and contacts.is_valid()):
        return False
    try:
        save(request.user, **form.cleaned_data, contacts=contacts.contacts())
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True
