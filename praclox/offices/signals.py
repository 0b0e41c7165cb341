"""Signals other domains listen to, so offices need not know them."""

from blinker import Namespace

_signals = Namespace()

#: sent with ``contact`` and the acting user (``actor``) when a contact is marked as having left the office
contact_left = _signals.signal("contact-left")
#: sent with ``contact`` and ``actor`` before a contact is deleted
contact_deleting = _signals.signal("contact-deleting")
#: sent with the kept ``office`` and ``other_id`` after another office was merged into it and deleted
office_merged = _signals.signal("office-merged")
#: sent with the kept ``contact`` and ``other_id`` after another contact was merged into it and deleted
contact_merged = _signals.signal("contact-merged")
