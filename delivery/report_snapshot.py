"""What a progress report says about delivery, as plain JSON: per priority its actions (status,
RAG, trend, the milestones due, overdue or completed in the period) and its indicators (their
values up to the period's end, the latest judged); and what changed since the last report sent
(ratings changed, actions and milestones completed, indicators moved). Until the report is sent
it is taken afresh each time it is read; when it is sent, it is kept in the report's `snapshot`
and read back from there, so a sent report says what it said (delivery/reports.py).

As at the period's end: an action's status and RAG are those of its latest update up to then
(the plan's own, for an action with no update by then); an indicator's values are those whose
period ended by then. A fixed number of queries, however many actions, updates and values."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Q

from strategies.models import Action, Objective, OutcomeIndicator, Priority

from .indicators import judge, judge_latest
from .models import IndicatorValue, Milestone, ProgressReport
from .progress import RAG_MEANING, compare, latest_updates, trend_of

FORMAT = 1
COMPLETE = Action.Status.COMPLETE


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _figure(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _milestones(strategy, start: datetime.date, end: datetime.date) -> dict[int, list]:
    """Each action's milestones that the period saw: due in it, completed in it, or still
    outstanding from before it; each "completed", "overdue" or "due" as at its end."""
    found = defaultdict(list)
    rows = Milestone.objects.filter(action__objective__priority__strategy=strategy).order_by(
        "due_on", "pk"
    )
    for m in rows:
        done = m.completed_on if m.completed_on and m.completed_on <= end else None
        if m.due_on > end and not (done and done >= start):
            continue
        if m.due_on < start and done and done < start:
            continue  # finished before the period began
        state = "completed" if done else "overdue" if m.due_on < end else "due"
        found[m.action_id].append(
            {"id": m.pk, "title": m.title, "due_on": _day(m.due_on),
             "completed_on": _day(done), "state": state}
        )  # fmt: skip
    return found


def _action(action: Action, objective: Objective, updates: list, milestones: list) -> dict:
    latest = updates[0] if updates else None
    trend = trend_of(updates) if updates else None
    rag = latest.rag if latest else action.rag
    status = latest.status if latest else action.status
    return {
        "id": action.pk,
        "title": action.title,
        "objective": objective.title,
        "lead": action.lead,
        "due_date": _day(action.due_date),
        "status": status,
        "status_label": str(Action.Status(status).label),
        "rag": rag,
        "rag_meaning": RAG_MEANING.get(rag, RAG_MEANING[""]),
        "trend": trend.ratings_named if trend else "",
        "direction": trend.direction if trend else "",
        "trend_words": trend.words if trend else "No updates yet",
        "latest_as_of": _day(latest.as_of) if latest else None,
        "latest_commentary": latest.commentary if latest else "",
        "milestones": milestones,
    }


def _indicator(indicator: OutcomeIndicator, end: datetime.date) -> dict:
    values = [v for v in indicator.values.all() if v.period_end <= end]
    judged = judge_latest(indicator, values) if values else None
    newest = values[-1] if values else None
    return {
        "id": indicator.pk,
        "title": indicator.title,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "baseline": _figure(indicator.baseline),
        "baseline_date": _day(indicator.baseline_date),
        "target": _figure(indicator.target),
        "target_date": _day(indicator.target_date),
        "values": [
            {
                "period": v.period,
                "period_end": _day(v.period_end),
                "value": _figure(v.value),
                "lower_ci": _figure(v.lower_ci),
                "upper_ci": _figure(v.upper_ci),
            }
            for v in values
        ],  # fmt: skip
        "latest": {"period": newest.period, "value": _figure(newest.value)} if newest else None,
        "since_previous": judged["since_previous"].word if judged else "not judged",
        "since_baseline": judged["since_baseline"].word if judged else "not judged",
        "trajectory": judged["on_trajectory"] if judged else "not judged",
    }


def take_snapshot(report: ProgressReport) -> dict:
    """What `report` says now: its period's delivery and what changed since the last report."""
    strategy, start, end = report.strategy, report.covers_from, report.covers_to
    in_strategy = Q(action__objective__priority__strategy=strategy)
    updates = defaultdict(list)
    for update in latest_updates(in_strategy & Q(as_of__lte=end)):
        updates[update.action_id].append(update)
    milestones = _milestones(strategy, start, end)
    priorities = Priority.objects.filter(strategy=strategy).prefetch_related(
        Prefetch(
            "objectives",
            queryset=Objective.objects.prefetch_related(
                Prefetch("actions", queryset=Action.objects.select_related("lead_organisation"))
            ),
        )
    )
    indicators = strategy.indicators.order_by("position", "pk").prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.order_by("period_end", "pk")),
        Prefetch("objectives", queryset=Objective.objects.only("id", "priority_id")),
    )
    by_priority: dict[int | None, list] = defaultdict(list)
    for indicator in indicators:
        homes = {o.priority_id for o in indicator.objectives.all()} or {None}
        entry = _indicator(indicator, end)
        for home in sorted(homes, key=lambda h: (h is None, h or 0)):
            by_priority[home].append(entry)
    sections = []
    for priority in priorities:
        actions = [
            _action(a, o, updates[a.pk], milestones[a.pk])
            for o in priority.objectives.all()
            for a in o.actions.all()
        ]
        sections.append(
            {"id": priority.pk, "position": priority.position, "title": priority.title,
             "actions": actions, "indicators": by_priority.get(priority.pk, [])}
        )  # fmt: skip
    if by_priority.get(None):
        sections.append(
            {"id": None, "position": None, "title": "Across the strategy", "actions": [],
             "indicators": by_priority[None]}
        )  # fmt: skip
    counts = dict.fromkeys(RAG_MEANING.values(), 0)
    for section in sections:
        for action in section["actions"]:
            counts[action["rag_meaning"]] += 1
    snapshot = {
        "format": FORMAT,
        "covers_from": _day(start),
        "covers_to": _day(end),
        "label": strategy.top_level_label,
        "counts": counts,
        "priorities": sections,
    }
    snapshot["changes"] = changes(report, snapshot)
    return snapshot


def previous_report(report: ProgressReport) -> ProgressReport | None:
    """The last report sent before this one's period ends (periods of sent reports do not
    overlap, so it is the one before)."""
    return (
        ProgressReport.objects.filter(
            strategy_id=report.strategy_id, sent_at__isnull=False, covers_to__lt=report.covers_to
        )
        .exclude(pk=report.pk)
        .order_by("-covers_to", "-pk")
        .first()
    )


def _actions(snapshot: dict) -> dict[int, tuple[dict, dict]]:
    return {a["id"]: (a, p) for p in snapshot["priorities"] for a in p["actions"]}


def _indicators(snapshot: dict) -> dict[int, dict]:
    return {i["id"]: i for p in snapshot["priorities"] for i in p["indicators"]}


def changes(report: ProgressReport, snapshot: dict) -> dict:
    """What changed since the last report sent (its snapshot), or, when there is none, since
    the period began (each action as its latest update before then left it; each indicator's
    latest value before then)."""
    previous = previous_report(report)
    if previous is not None and previous.snapshot:
        since = previous.covers_to + datetime.timedelta(days=1)
        before_actions = {k: a for k, (a, _) in _actions(previous.snapshot).items()}
        before_values = {k: i["latest"] for k, i in _indicators(previous.snapshot).items()}
    else:
        since = report.covers_from
        in_strategy = Q(action__objective__priority__strategy_id=report.strategy_id)
        before_actions = {
            u.action_id: {"rag": u.rag, "status": u.status}
            for u in latest_updates(in_strategy & Q(as_of__lt=since), many=1)
        }
        before_values = {}
        for key, indicator in _indicators(snapshot).items():
            earlier = [v for v in indicator["values"] if v["period_end"] < since.isoformat()]
            before_values[key] = earlier[-1] if earlier else None
    first = since.isoformat()
    rag_changes, completed, milestones = [], [], []
    for key, (action, priority) in _actions(snapshot).items():
        before = before_actions.get(key)
        fresh = (action["latest_as_of"] or "") >= first
        if before and before["rag"] != action["rag"] and fresh:
            rag_changes.append(
                {"action": action["title"], "priority": priority["title"],
                 "from": before["rag"], "to": action["rag"],
                 "direction": compare(before["rag"], action["rag"])}
            )  # fmt: skip
        if action["status"] == COMPLETE and fresh and (before or {}).get("status") != COMPLETE:
            completed.append({"action": action["title"], "priority": priority["title"]})
        for m in action["milestones"]:
            if m["completed_on"] and m["completed_on"] >= first:
                milestones.append({**m, "action": action["title"]})
    moved = []
    for key, indicator in _indicators(snapshot).items():
        now, before = indicator["latest"], before_values.get(key)
        if now is None or (before and before["period"] == now["period"] and
                           before["value"] == now["value"]):  # fmt: skip
            continue
        word = "not judged"
        if before:
            word = judge(
                Decimal(now["value"]), Decimal(before["value"]), indicator["polarity"]
            ).word
        moved.append(
            {"indicator": indicator["title"], "unit": indicator["unit"],
             "from_period": before["period"] if before else None,
             "from": before["value"] if before else None,
             "period": now["period"], "value": now["value"], "judgement": word}
        )  # fmt: skip
    return {
        "since": first,
        "against": previous.title if previous is not None else "",
        "rag_changes": rag_changes,
        "completed": completed,
        "milestones_completed": sorted(milestones, key=lambda m: m["completed_on"]),
        "indicators_moved": moved,
    }


def chart_objects(entry: dict) -> tuple[OutcomeIndicator, list[IndicatorValue]]:
    """An indicator of a snapshot as the unsaved objects delivery/charts.py draws."""

    def figure(text):
        return None if text is None else Decimal(text)

    def day(text):
        return None if text is None else datetime.date.fromisoformat(text)

    indicator = OutcomeIndicator(
        pk=entry["id"], title=entry["title"], unit=entry["unit"], polarity=entry["polarity"],
        baseline=figure(entry["baseline"]), baseline_date=day(entry["baseline_date"]),
        target=figure(entry["target"]), target_date=day(entry["target_date"]),
    )  # fmt: skip
    values = [
        IndicatorValue(
            period=v["period"],
            period_end=day(v["period_end"]),
            value=figure(v["value"]),
            lower_ci=figure(v["lower_ci"]),
            upper_ci=figure(v["upper_ci"]),
        )  # fmt: skip
        for v in entry["values"]
    ]
    return indicator, values
