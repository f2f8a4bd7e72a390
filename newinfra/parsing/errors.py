"""Errors the parser reports to its callers."""


class DocumentError(Exception):
    """A document cannot be read: missing, empty, binary, undecodable or of an unknown kind.

    The message is one English sentence meant for the user; callers print it as it is.
    """
