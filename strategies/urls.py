from django.urls import path, re_path

from . import views

app_name = "strategies"

KIND = r"(?P<kind>priorities|objectives|actions|indicators|evidence)"

urlpatterns = [
    path("", views.strategy_list, name="list"),
    path("new/", views.strategy_create, name="create"),
    path("<slug:slug>/edit/", views.strategy_edit, name="edit"),
    path("<slug:slug>/revisions/", views.revision_list, name="revisions"),
    path("<slug:slug>/revisions/compare/", views.revision_compare, name="compare"),
    path("<slug:slug>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path(
        "<slug:slug>/priorities/add/",
        views.content_add,
        {"kind": "priorities"},
        name="add-priority",
    ),
    path(
        "<slug:slug>/indicators/add/",
        views.content_add,
        {"kind": "indicators"},
        name="add-indicator",
    ),
    path("<slug:slug>/evidence/add/", views.content_add, {"kind": "evidence"}, name="add-evidence"),
    path(
        "<slug:slug>/priorities/<int:parent_pk>/objectives/add/",
        views.content_add,
        {"kind": "objectives"},
        name="add-objective",
    ),
    path(
        "<slug:slug>/objectives/<int:parent_pk>/actions/add/",
        views.content_add,
        {"kind": "actions"},
        name="add-action",
    ),
    re_path(
        rf"^(?P<slug>[-\w]+)/{KIND}/(?P<pk>[0-9]+)/edit/$", views.content_edit, name="edit-item"
    ),
    re_path(
        rf"^(?P<slug>[-\w]+)/{KIND}/(?P<pk>[0-9]+)/delete/$",
        views.content_delete,
        name="delete-item",
    ),
    re_path(
        rf"^(?P<slug>[-\w]+)/{KIND}/(?P<pk>[0-9]+)/move/$", views.content_move, name="move-item"
    ),
]
