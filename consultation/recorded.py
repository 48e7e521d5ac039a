"""A consultation recorded after the fact: one that ran before its strategy came into Waymark,
entered from the council's records with its real dates (consultation/workflow's
`record_window`). Wherever it shows, it says so: "Recorded on 4 December 2026 by Olivia Officer,
from the consultation report to the Board of 4 July 2017".

Who recorded it and when come from the window's history (its first row marked
`recorded_later`), not from fields of their own: `WindowQuerySet.with_recording()` reads them
in the same query as the windows, so a list of windows costs nothing more; a window loaded
without it reads its history once when asked. These are mixed into ConsultationWindow and its
query set (models.py)."""

from __future__ import annotations

import datetime

from django.db.models import (
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone

from governance.dates import long_date
from strategies.subqueries import count_of

# The label of the revision taken when the text consulted on is not on record (workflow's
# `record_window`): the pages read it to say so.
STAND_IN = "Stand-in for the text consulted on, which is not on record"


class RecordedQuerySet:
    """The windows' query set: who recorded each consultation recorded after the fact, and when."""

    def with_recording(self):
        """Annotated with `recorded_at` and `recorded_by_name`, from the first history row of
        each window that marks it recorded after the fact (None for the others)."""
        first = (
            self.model.history.filter(id=OuterRef("pk"), recorded_later=True)
            .order_by("history_date", "history_id")
            .annotate(
                who=Coalesce(
                    NullIf(
                        Trim(
                            Concat(
                                "history_user__first_name",
                                Value(" "),
                                "history_user__last_name",
                            )
                        ),
                        Value(""),
                    ),
                    "history_user__username",
                )
            )
        )
        return self.annotate(
            recorded_at=Subquery(first.values("history_date")[:1]),
            recorded_by_name=Subquery(first.values("who")[:1]),
        )

    def with_responses_in(self):
        """Annotated with `responses_in`: how many responses are recorded one by one (keyed in,
        imported or sent online), in a subquery rather than a join."""
        responses = self.model._meta.get_field("responses").related_model  # Response
        return self.annotate(responses_in=count_of(responses.objects.all(), "window"))

    def chased_for_response(self):
        """The windows whose "you said, we did" Waymark chases once they close: all but those
        recorded after the fact whose response was already due when they were recorded (it
        may well have been published outside Waymark: saying it is overdue would be false)."""
        due = ExpressionWrapper(
            F("closes_on") + self.model.RESPONSE_WITHIN, output_field=DateField()
        )
        return (
            self.with_recording()
            .annotate(response_due_on=due)
            .exclude(recorded_later=True, recorded_at__date__gt=F("response_due_on"))
        )


class RecordedWindow:
    """A consultation window's marks as recorded after the fact, for its pages."""

    @property
    def recording(self) -> tuple[datetime.datetime | None, str]:
        """When it was recorded after the fact and by whom (None and "" if it was not)."""
        if not self.recorded_later:
            return None, ""
        if not hasattr(self, "recorded_at"):  # loaded without `with_recording()`
            row = (
                self.history.filter(recorded_later=True)
                .select_related("history_user")
                .order_by("history_date", "history_id")
                .first()
            )
            self.recorded_at = row.history_date if row else None
            user = row.history_user if row else None
            self.recorded_by_name = user.display_name if user else ""
        return self.recorded_at, self.recorded_by_name or ""

    @property
    def recorded_on(self) -> datetime.date | None:
        at, _ = self.recording
        return timezone.localdate(at) if at else None

    def _mark(self, with_who: bool) -> str:
        if not self.recorded_later:
            return ""
        day, (_, who) = self.recorded_on, self.recording
        mark = f"Recorded on {long_date(day)}" if day else "Recorded after the fact"
        if with_who and who:
            mark += f" by {who}"
        return f"{mark}, from {self.recorded_from}" if self.recorded_from else mark

    @property
    def recorded_mark(self) -> str:
        """ "Recorded on 4 December 2026 by Olivia Officer, from …", for the staff's pages."""
        return self._mark(with_who=True)

    @property
    def public_recorded_mark(self) -> str:
        """The mark without the officer's name, for the public page."""
        return self._mark(with_who=False)

    @property
    def source_mark(self) -> str:
        """ "From the minutes of …": where a consultation that ran before Waymark was taken
        from, without the day it was entered (a committee report of the time, which quotes it,
        was written before that day)."""
        if not self.recorded_later:
            return ""
        return f"From {self.recorded_from}" if self.recorded_from else ""

    @property
    def reported_only(self) -> bool:
        """Recorded with the number of responses its report gives, not the responses."""
        return self.reported_responses is not None

    @property
    def reported_count(self) -> str:
        """ "412 responses reported": the number its report gives ("" if none)."""
        n = self.reported_responses
        if n is None:
            return ""
        return f"{n} response{'' if n == 1 else 's'} reported"

    @property
    def reported_text(self) -> str:
        """ "412 responses reported; not recorded one by one"."""
        return f"{self.reported_count}; not recorded one by one" if self.reported_count else ""

    def reported_with(self, recorded: int) -> str:
        """The number its report gives, with how many of the responses are recorded here one
        by one once some are (keyed in or imported later): "412 responses reported; 253
        recorded one by one"."""
        if self.reported_responses is None or not recorded:
            return self.reported_text
        return f"{self.reported_count}; {recorded} recorded one by one"

    @property
    def response_chased(self) -> bool:
        """Whether Waymark chases its response: `RecordedQuerySet.chased_for_response`."""
        if not self.recorded_later or self.response_due_by is None:
            return True
        day = self.recorded_on
        return day is None or day <= self.response_due_by

    @property
    def revision_note(self) -> str:
        """For a consultation recorded after the fact, what its text consulted on is."""
        revision = self.revision
        if not self.recorded_later or revision is None:
            return ""
        if revision.label.startswith(STAND_IN):
            return (
                "The text consulted on is not on record: this is the text as it stood when "
                "the consultation was recorded, standing in for it."
            )
        taken = timezone.localdate(revision.created_at)
        if self.opens_on and taken <= self.opens_on:
            return (
                f"Taken to be the text consulted on: the latest revision before it opened "
                f"(taken on {long_date(taken)})."
            )
        return "Chosen as the text consulted on when the consultation was recorded."
