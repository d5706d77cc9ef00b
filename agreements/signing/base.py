"""The interface every way of collecting an external party's signature implements.

The built-in provider is the simple electronic signature through an emailed, single-use link
(``emailed_link.EmailedLinkProvider``). An advanced electronic signature service (BankID-based,
such as the national signing service) plugs in as another subclass named by the
``SIGNING_PROVIDER`` setting: ``send_request`` uploads the document and records the service's
order id on a ``SigningRequest``; its callback view hands what came back to ``receive_result``.
"""

from abc import ABC, abstractmethod

from ..models import Agreement, DocumentVersion, Organisation, Signature, SigningRequest


class SigningProvider(ABC):
    #: stored on each ``SigningRequest`` so a result is read back by the provider that asked
    name: str

    @abstractmethod
    def send_request(
        self, agreement: Agreement, party: Organisation, document: DocumentVersion
    ) -> list[SigningRequest]:
        """Ask ``party``'s signatories to sign ``document``; return the requests made.

        Runs inside the caller's transaction: anything leaving the system (email, an upload to a
        service) must wait until it commits (``transaction.on_commit``).
        """

    @abstractmethod
    def receive_result(self, request: SigningRequest, **evidence) -> Signature:
        """Record the signature that ``request`` produced, with the provider's ``evidence``.

        Called with ``request`` locked and checked to be open; marks it used.
        """
