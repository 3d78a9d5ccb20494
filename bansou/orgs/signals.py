"""What orgs announce to the rooms above them (ARCHITECTURE.md: a lower app announces, a higher listens)."""

from django.dispatch import Signal

# Sent inside the transaction that removes a person from an organisation, before the membership goes;
# keyword argument ``membership``. Sharing withdraws what the person shared with the organisation.
member_leaving = Signal()
