from django.urls import path

from .views import entry, imports, items, public, responses, suggestions, windows

app_name = "consultation"

urlpatterns = [
    # Public, no account needed.
    path("consult/", public.public_list, name="public-list"),
    path("consult/<slug:slug>/", public.public_window, name="public"),
    path("consult/<slug:slug>/thanks/", public.thanks, name="thanks"),
    path("consult/<slug:slug>/you-said-we-did/", public.public_response, name="public-response"),
    # Staff: a strategy's consultations and each window with its moves.
    path("strategies/<slug:slug>/consultation/", windows.strategy_consultations, name="strategy"),
    path("strategies/<slug:slug>/consultation/new/", windows.window_edit, name="create"),
    path("consultations/<int:pk>/", windows.window_detail, name="window"),
    path("consultations/<int:pk>/edit/", windows.window_edit, name="edit"),
    path("consultations/<int:pk>/open/", windows.window_move, {"move": "open"}, name="open"),
    path("consultations/<int:pk>/close/", windows.close_window, name="close"),
    path("consultations/<int:pk>/record/", windows.record_window, name="record"),
    path("consultations/<int:pk>/publish/", items.publish_response, name="publish"),
    # Staff: what is in a window.
    path("consultations/<int:pk>/events/add/", items.add_event, name="add-event"),
    path("consultations/<int:pk>/events/<int:event_pk>/", items.edit_event, name="edit-event"),
    path("consultations/<int:pk>/partners/add/", items.add_partner, name="add-partner"),
    path("consultations/<int:pk>/themes/add/", items.add_theme, name="add-theme"),
    path("consultations/<int:pk>/you-said-we-did/add/", items.edit_entry, name="add-entry"),
    path(
        "consultations/<int:pk>/you-said-we-did/<int:entry_pk>/",
        items.edit_entry,
        name="edit-entry",
    ),
    # Staff: the responses.
    path("consultations/<int:pk>/responses/", responses.analysis, name="analysis"),
    path("consultations/<int:pk>/responses.csv", responses.export_csv, name="export"),
    path("consultations/<int:pk>/responses/tags/", responses.bulk_tag, name="bulk-tag"),
    path(
        "consultations/<int:pk>/responses/<int:response_pk>/themes/",
        responses.tag_response,
        name="tag",
    ),
    # Staff: responses sent another way, keyed in or imported from another survey tool.
    path("consultations/<int:pk>/responses/key-in/", entry.key_in, name="key-in"),
    path("consultations/<int:pk>/responses/import/", imports.upload, name="import"),
    path(
        "consultations/<int:pk>/responses/import/<str:sha>/",
        imports.map_columns,
        name="import-map",
    ),
    # Staff: themes suggested from the comments, and confirming the tags they suggested.
    path("consultations/<int:pk>/suggestions/", suggestions.suggestions, name="suggestions"),
    path(
        "consultations/<int:pk>/suggestions/run/",
        suggestions.request_suggestions,
        name="suggestions-run",
    ),
    path(
        "consultations/<int:pk>/suggestions/progress/",
        suggestions.progress,
        name="suggestions-progress",
    ),
    path(
        "consultations/<int:pk>/suggestions/<int:suggestion_pk>/",
        suggestions.decide,
        name="suggestion-decide",
    ),
    path(
        "consultations/<int:pk>/themes/<int:theme_pk>/confirm/",
        suggestions.confirm_tags,
        name="confirm-tags",
    ),
]
