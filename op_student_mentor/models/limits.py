"""Text lengths every writer is held to (backend, portal, RPC) by the models' constraints; the portal
forms cut what a browser posts to one character more, so the constraint still answers."""

NAME_MAX_LENGTH = 200  # a meeting's name, a goal's skill / criterion and indicator
DESCRIPTION_MAX_LENGTH = 10000  # a meeting's agenda, a follow-up's notes
