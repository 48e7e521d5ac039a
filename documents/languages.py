"""The languages a council's documents come in: English and Welsh, British Sign Language, and
the languages most spoken in England after English (the 2021 Census's main languages, Office for
National Statistics), each by its ISO 639 code. "Other" covers the rest; the document's title
names it."""

LANGUAGES = [
    ("en", "English"),
    ("cy", "Welsh"),
    ("bfi", "British Sign Language"),
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("zh-hans", "Chinese (simplified)"),
    ("zh-hant", "Chinese (traditional)"),
    ("fa", "Farsi"),
    ("fr", "French"),
    ("gu", "Gujarati"),
    ("hi", "Hindi"),
    ("it", "Italian"),
    ("ku", "Kurdish"),
    ("lt", "Lithuanian"),
    ("ps", "Pashto"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("pa", "Punjabi"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("so", "Somali"),
    ("es", "Spanish"),
    ("ta", "Tamil"),
    ("ti", "Tigrinya"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("other", "Another language"),
]
