"""What a browser posted to the portal forms, read in one place (the controllers stay about pages).

Every form field is text. Three things a browser (or a script) may post cannot be saved as text
and are refused with the form and one message, before anything is written:

- a file uploaded under the name of a text field (werkzeug puts it in ``files``, not ``form``);
- a NUL character: PostgreSQL refuses it in a string ("A string literal cannot contain NUL");
- bytes that are not UTF-8: werkzeug decodes them as U+FFFD (the replacement character), which
  would be saved in place of what the user typed.
"""

NUL = "\x00"
REPLACEMENT_CHARACTER = "\ufffd"
MAX_INT = 2**31 - 1  # ids and numbers posted by a browser are checked against this before PostgreSQL
LINK_MAX_LENGTH = 2000  # a meeting link typed in a form
TOKEN_MAX_LENGTH = 64  # the one-time token of a form (uuid4 hex: 32)


def text(value):
    """A posted or query-string value as stripped text; "" when missing or not text (a file)."""
    return value.strip() if isinstance(value, str) else ""


def clean(value):
    """``value`` without what cannot be saved: the text shown again in the form with the error."""
    return value.replace(NUL, "").replace(REPLACEMENT_CHARACTER, "")


def to_int(value):
    """The positive PostgreSQL integer a browser posted, or None (never raises)."""
    value = text(value)
    # isdecimal() also accepts other scripts' digits (int() reads them), but not "²" (int() refuses it)
    if not value.isdecimal() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_INT else None


def problem(httprequest, names):
    """``"file"``, ``"nul"`` or ``"encoding"``: what cannot be saved in the posted fields ``names``
    (every value of a repeated field), the first found; None when they are all text."""
    form, files = httprequest.form, httprequest.files
    for name in names:
        if name in files:
            return "file"
        for value in form.getlist(name):
            if NUL in value:
                return "nul"
            if REPLACEMENT_CHARACTER in value:
                return "encoding"
    return None


def problem_message(env, kind):
    """The message of :func:`problem`'s answer, in the user's language."""
    return {
        "file": env._("A file was sent in place of a text field of this form; fill in the form and send it again."),
        "nul": env._("The form contains a NUL character, which cannot be saved; remove it."),
        "encoding": env._(
            "The form contains text that is not valid UTF-8 (shown as \N{REPLACEMENT CHARACTER}), which cannot be "
            "saved; type it again."
        ),
    }[kind]
