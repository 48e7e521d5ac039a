"""Consultation pages, by family: public.py (what the public reads and answers, no account),
windows.py (the staff's consultation tab and window pages, and the window's moves), items.py (a
window's events, partners, themes and "you said, we did" entries) and responses.py (the analysis
of responses, tagging and the CSV). Moves go through consultation.workflow, whose checks also
decide what each page offers."""
