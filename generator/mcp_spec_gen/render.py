"""Jinja2 rendering of the templates in `templates/`, and docstring quoting."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from .project import resource


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource("templates")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_template(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)


def docstring(text: str) -> str:
    """A triple-quoted docstring literal for `text`, safe for any content."""
    body = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    if "\n" in body:
        return f'"""{body}\n"""'
    return f'"""{body}"""'
