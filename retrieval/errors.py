"""Errors a person can act on; adapters show their message as one line."""


class QuotebotError(Exception):
    """Base for every error whose message is meant for the user."""


class CorpusError(QuotebotError):
    """The corpus folder cannot be read as a collection of documents."""


class InvalidQuery(QuotebotError):
    """A question, date, topic or document ID the user gave cannot be used."""


class UnknownDocument(InvalidQuery):
    """A document ID that is not in the corpus; names the closest IDs."""
