"""Format checks run as jsonschema-rs callbacks, each answering exactly as the reference
(`mcp_spec_gen.reference`: `jsonschema`'s own checkers for date, email, ipv4, ipv6 and uuid;
RFC 3339 for date-time and time) does, so validators and reference never disagree.

`uri` (native) and `byte` (a pattern) need no callback; see `_validation`. A schema's own
`pattern` is checked here too (`PythonPattern`), with `re.search` as the reference does.
"""

from __future__ import annotations

import calendar
import ipaddress
import re
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import uri_template

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# RFC 3339 `full-time`: hh:mm:ss[.frac] then Z or +hh:mm / -hh:mm (T, Z in either case).
_TIME = r"(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))"
_FULL_TIME = re.compile(f"{_TIME}", re.ASCII)
_DATE_TIME = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}})[Tt]{_TIME}", re.ASCII)


def _time_fields_valid(hour: str, minute: str, second: str, *offset: str | None) -> bool:
    # Seconds may be 60 (a leap second, RFC 3339 section 5.7).
    if int(hour) > 23 or int(minute) > 59 or int(second) > 60:
        return False
    offset_hour, offset_minute = offset
    return offset_hour is None or (int(offset_hour) <= 23 and int(offset_minute or 0) <= 59)


def is_date_time(value: str) -> bool:
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups()[:3])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    return _time_fields_valid(*match.groups()[3:])


def is_time(value: str) -> bool:
    match = _FULL_TIME.fullmatch(value)
    return match is not None and _time_fields_valid(*match.groups())


def is_date(value: str) -> bool:
    if _DATE.fullmatch(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_email(value: str) -> bool:
    return "@" in value


def is_ipv4(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def is_ipv6(value: str) -> bool:
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return not address.scope_id


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return all(value[position] == "-" for position in (8, 13, 18, 23))


def is_uri_template(value: str) -> bool:
    return uri_template.validate(value)


# Every format checked through a Python callback (the generator's CALLBACK_FORMATS).
CALLBACK_CHECKS: dict[str, Callable[[str], bool]] = {
    "date": is_date,
    "date-time": is_date_time,
    "email": is_email,
    "idn-email": is_email,
    "ipv4": is_ipv4,
    "ipv6": is_ipv6,
    "time": is_time,
    "uri-template": is_uri_template,
    "uuid": is_uuid,
}


# The bundle's name for a schema's own `pattern` (the generator's PATTERN_KEYWORD).
PATTERN_KEYWORD = "x-mcp-spec-pattern"


class PythonPattern:
    """The `x-mcp-spec-pattern` keyword for jsonschema-rs: a string must contain a match of
    the pattern under Python's `re.search`, the reference's own test."""

    def __init__(
        self, parent_schema: dict[str, Any], value: Any, schema_path: list[str | int]
    ) -> None:
        self.regex = re.compile(value)

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and self.regex.search(instance) is None:
            raise ValueError(f"{instance!r} does not match {self.regex.pattern!r}")


CUSTOM_KEYWORDS: dict[str, type[PythonPattern]] = {PATTERN_KEYWORD: PythonPattern}
