"""Helpers for reading a command's output in tests."""


def fixture_quiet(err: str) -> str:
    """stderr without the claims source's expected notes on fixture data: the claim file's written sentences quote
    the real figures, which the small fixture tables do not hold, so they are (rightly) set aside with a line."""
    return "".join(line for line in err.splitlines(keepends=True) if "written sentences set aside" not in line)
