"""Open data: what the public pages show, and nothing more, as JSON and CSV at stable addresses
under `/open-data/`, with the licence and publisher the settings name (OPEN_DATA_LICENCE_NAME,
OPEN_DATA_LICENCE_URL, OPEN_DATA_PUBLISHER). `datasets` builds the rows from the same rules as
the public pages (strategies.publication, portal.panels, the consultation's public pages);
`views` answers for them, with conditional GET."""
