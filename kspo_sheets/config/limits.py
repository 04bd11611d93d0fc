"""Lengths a config value or a command-line option may have, shared by the schema and the CLI."""

# A meeting number names the pack's file (4/2562 -> ...-meeting-4-2562-...); a place is
# one line on the pack's cover.
MEETING_NUMBER_MAX = 60
MEETING_PLACE_MAX = 200
