"""Bringing meetings in from a council's committee system, Modern.gov (docs/decisions/0028).

client.py     the web service (`mgWebService.asmx`): its three calls over HTTP GET, their
              XML answers read into plain records, every failure one ModernGovError
sync.py       a site's mapped committees' meetings and agenda items into Waymark, one
              transaction per committee, never over what people changed in Waymark
matching.py   a secretary matches a gate of a meeting to the agenda item that considers it
tasks.py      the background task the schedule queues (`sync_moderngov --queue`)
"""
