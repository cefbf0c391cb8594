"""``euroffshore create-admin``: the first platform administrator (and any later one)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app.core.errors import FieldError

PASSWORD_ENV = "EUROFFSHORE_ADMIN_PASSWORD"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--email", required=True, help="the administrator's e-mail address")
    parser.add_argument(
        "--password",
        help=f"the password (else ${PASSWORD_ENV}, else asked twice on the terminal)",
    )


def _password(args: argparse.Namespace) -> str | None:
    if args.password:
        return str(args.password)
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        print(
            f"error: give --password or set {PASSWORD_ENV} (no terminal to ask on)", file=sys.stderr
        )
        return None
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        print("error: the two passwords differ", file=sys.stderr)
        return None
    return first


def run(args: argparse.Namespace) -> int:
    from pydantic import TypeAdapter, ValidationError
    from pydantic.networks import EmailStr

    from app.accounts import service
    from app.core.db import get_session_factory

    try:
        email = TypeAdapter(EmailStr).validate_python(args.email.strip())
    except ValidationError:
        print(f"error: not a valid e-mail address: {args.email!r}", file=sys.stderr)
        return 2
    password = _password(args)
    if password is None:
        return 2
    with get_session_factory()() as db_session:
        try:
            user = service.create_platform_admin(
                db_session=db_session, email=email, password=password
            )
        except FieldError as exc:
            for field, message in exc.errors.items():
                print(f"error: {field}: {message}", file=sys.stderr)
            db_session.rollback()
            return 1
        db_session.commit()
        print(f"platform administrator {user.email} created (id {user.id})")
    return 0
