from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    # Public, no account needed.
    path("consult/", views.public_list, name="public-list"),
    path("consult/<slug:slug>/", views.public_window, name="public"),
    path("consult/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("consult/<slug:slug>/you-said-we-did/", views.public_response, name="public-response"),
    # Staff.
    path("strategies/<slug:slug>/consultation/", views.strategy_consultations, name="strategy"),
    path("strategies/<slug:slug>/consultation/new/", views.window_edit, name="create"),
    path("consultations/<int:pk>/", views.window_detail, name="window"),
    path("consultations/<int:pk>/edit/", views.window_edit, name="edit"),
    path("consultations/<int:pk>/open/", views.window_move, {"move": "open"}, name="open"),
    path("consultations/<int:pk>/close/", views.close_window, name="close"),
    path("consultations/<int:pk>/publish/", views.window_move, {"move": "publish"}, name="publish"),
    path("consultations/<int:pk>/events/add/", views.add_event, name="add-event"),
    path("consultations/<int:pk>/events/<int:event_pk>/", views.edit_event, name="edit-event"),
    path("consultations/<int:pk>/partners/add/", views.add_partner, name="add-partner"),
    path("consultations/<int:pk>/themes/add/", views.add_theme, name="add-theme"),
    path("consultations/<int:pk>/you-said-we-did/add/", views.edit_entry, name="add-entry"),
    path(
        "consultations/<int:pk>/you-said-we-did/<int:entry_pk>/",
        views.edit_entry,
        name="edit-entry",
    ),
    path("consultations/<int:pk>/responses/", views.analysis, name="analysis"),
    path("consultations/<int:pk>/responses.csv", views.export_csv, name="export"),
    path(
        "consultations/<int:pk>/responses/<int:response_pk>/themes/", views.tag_response, name="tag"
    ),
]
