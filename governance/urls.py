"""The governance pages' addresses (namespace `governance`)."""

from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("strategies/<slug:slug>/route/", views.route, name="route"),
    path("strategies/<slug:slug>/route/apply/", views.apply_route, name="apply-route"),
    path("strategies/<slug:slug>/route/gates/add/", views.add_gate, name="add-gate"),
    path(
        "strategies/<slug:slug>/route/gates/<int:pk>/replan/", views.replan_gate, name="replan-gate"
    ),
    path(
        "strategies/<slug:slug>/route/gates/<int:pk>/remove/",
        views.gate_move,
        {"move": "remove"},
        name="remove-gate",
    ),
    path(
        "strategies/<slug:slug>/route/gates/<int:pk>/resubmit/",
        views.gate_move,
        {"move": "resubmit"},
        name="resubmit-gate",
    ),
    path(
        "strategies/<slug:slug>/route/open-revision/",
        views.strategy_move,
        {"move": "open-revision"},
        name="open-revision",
    ),
    path(
        "strategies/<slug:slug>/route/withdraw/",
        views.strategy_move,
        {"move": "withdraw"},
        name="withdraw",
    ),
    path("strategies/<slug:slug>/route/publish/", views.publish, name="publish"),
    # After publication (views/lifecycle.py): start-delivery, review-date, start-review,
    # end-review, refresh.
    path(
        "strategies/<slug:slug>/route/lifecycle/<slug:move>/",
        views.lifecycle_move,
        name="lifecycle",
    ),
    path("gates.csv", views.gates_csv, name="gates-csv"),
    path("meetings/", views.my_meetings, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path(
        "meetings/<int:pk>/held/",
        views.mark_meeting,
        {"status": "held"},
        name="mark-meeting-held",
    ),
    path(
        "meetings/<int:pk>/cancelled/",
        views.mark_meeting,
        {"status": "cancelled"},
        name="mark-meeting-cancelled",
    ),
    path("gates/<int:pk>/agenda/", views.agenda_references, name="agenda-references"),
    path("agenda-items/<int:pk>/gate/", views.match_agenda_item, name="match-agenda-item"),
    path("gates/<int:pk>/decide/", views.record_decision, name="record-decision"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/correct/", views.correct_decision, name="correct-decision"),
    path("decisions/<int:pk>/call-in/", views.record_call_in, name="record-call-in"),
    path("call-ins/<int:pk>/outcome/", views.record_call_in_outcome, name="call-in-outcome"),
    path("decisions/<int:pk>/response/", views.record_response, name="record-response"),
]
