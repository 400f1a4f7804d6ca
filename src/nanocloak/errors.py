"""The nanocloak error and warning tree.

Every error raised on purpose by nanocloak derives from ``NanocloakError`` and also from
the builtin that best describes it, so ``except ValueError`` keeps working for callers that do
not know nanocloak. Errors carry their fields and pickle, so sweep workers can ship them back.
"""

from __future__ import annotations


class NanocloakError(Exception):
    """Root of every error nanocloak raises on purpose."""


class SpecificationError(NanocloakError, ValueError):
    """A design, study or batch specification is invalid.

    Parameters
    ----------
    field
        Dotted path of the offending field, e.g. ``"core.diameter"``.
    value
        The value that was given, as the user wrote it.
    expected
        What is allowed, in words, e.g. ``"a length between 1 nm and 5 µm"``.
    hint
        How to fix it, e.g. ``"write diameter = '120 nm'"``.
    """

    def __init__(self, field: str, value: object, expected: str, hint: str = "") -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.hint = hint
        message = f"{field}: got {value!r}; expected {expected}."
        if hint:
            message += f" {hint}"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[SpecificationError], tuple[str, object, str, str]]:
        return (type(self), (self.field, self.value, self.expected, self.hint))


class InvalidSpecificationError(SpecificationError):
    """A whole spec failed validation; ``problems`` lists each field's problem in one line."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = list(problems)
        first = problems[0].split(":", 1)[0] if problems else origin
        super().__init__(first, origin, "a valid specification")
        count = len(problems)
        self.args = (
            f"{origin} is not a valid specification ({count} problem"
            f"{'s' if count != 1 else ''}):\n" + "\n".join(f"- {p}" for p in problems),
        )

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[type[InvalidSpecificationError], tuple[str, list[str]]]:  # type: ignore[override]
        return (type(self), (self.origin, self.problems))


class UnitError(SpecificationError):
    """A quantity is missing its unit or has the wrong dimension."""


class KnowledgeBaseError(NanocloakError, LookupError):
    """The knowledge base is missing an entry or one of its files is malformed."""


class DataFormatError(NanocloakError, ValueError):
    """A file (TOML spec, data table) cannot be read as the format it claims to be."""


class NanocloakWarning(UserWarning):
    """Root of every warning nanocloak emits on purpose."""


class ExtrapolationWarning(NanocloakWarning):
    """A model is used outside the range its parameters were taken from."""
