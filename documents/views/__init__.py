"""The documents' pages: a strategy's Documents tab and each document's page (pages.py), the
forms that add a document to a strategy or a paper to a meeting (adding.py), and the downloads,
served only to those who may read them (downloads.py). What may be done is the workflow's to
say (documents/workflow.py, documents/access.py); the pages offer what it allows and show its
refusals beside the field they name."""
