"""What the frame of every page (templates/base.html) shows about the site itself:
`{% contact_email as address %}` gives the address people write to, from WAYMARK_CONTACT_EMAIL.
A tag rather than a context processor, so that only the footer that shows it asks for it."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def contact_email() -> str:
    return settings.WAYMARK_CONTACT_EMAIL
