"""The documents' pages (documents/views/): a strategy's Documents tab, adding a document or a
meeting's paper, a document's page and its versions' files."""

from django.urls import path

from .views import adding, downloads, pages

app_name = "documents"

urlpatterns = [
    path("strategies/<slug:slug>/documents/", pages.strategy_documents, name="strategy"),
    path("strategies/<slug:slug>/documents/add/", adding.add_document, name="add"),
    path("meetings/<int:pk>/papers/add/", adding.add_meeting_paper, name="add-meeting-paper"),
    path("documents/<int:pk>/", pages.document_page, name="document"),
    path(
        "documents/<int:pk>/versions/<int:number>/<str:name>",
        downloads.download,
        name="download",
    ),
]
