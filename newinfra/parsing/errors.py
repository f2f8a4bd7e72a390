"""Errors the parser reports to its callers."""

# What went wrong, for callers that explain it in another language (the pages do, in Chinese).
CODES = (
    "not_found",
    "unreadable",
    "empty",
    "binary",
    "encoding",
    "old_office",
    "bad_docx",
    "bad_pdf",
    "encrypted",
    "no_text_layer",
    "not_a_plan",
)


class DocumentError(Exception):
    """A document cannot be read: missing, empty, binary, undecodable or of an unknown kind.

    The message is one English sentence meant for the user; callers print it as it is.
    ``code`` says which case it is (one of CODES).
    """

    def __init__(self, message: str, code: str = "unreadable"):
        super().__init__(message)
        self.code = code
