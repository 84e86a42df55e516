"""Command-line tools: ``flask --app webapp <command>``."""
from __future__ import annotations

from pathlib import Path

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import with_appcontext


def alembic_config(url: str | None = None) -> AlembicConfig:
    """Alembic's configuration, built in code: the scripts live inside the package."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or current_app.config["DATABASE_URL"]).replace("%", "%%"))
    return cfg


@click.group("db")
def db_group() -> None:
    """Database migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    alembic_command.upgrade(alembic_config(), revision)


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (``base`` undoes them all)."""
    alembic_command.downgrade(alembic_config(), revision)


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the revision the database is at."""
    alembic_command.current(alembic_config(), verbose=True)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--rev-id", default=None, help="A readable revision id, e.g. 0003.")
@with_appcontext
def db_revision(message: str, rev_id: str | None) -> None:
    """Write a new migration from the difference between the models and the database."""
    alembic_command.revision(alembic_config(), message=message, autogenerate=True, rev_id=rev_id)


@db_group.command("check")
@with_appcontext
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    alembic_command.check(alembic_config())


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no accounts yet.")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Create the demo organisations and accounts (idempotent)."""
    from webapp.services import demo

    if if_empty and not demo.database_is_empty():
        click.echo("The database already holds accounts; demo data not added.")
        return
    demo.seed()
    click.echo("Demo data is in place. Every demo account's password is: " + demo.DEMO_PASSWORD)


@click.command("seed-load")
@click.option("--persons", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", "seed_value", type=int, default=1, help="Random seed, for the same population again.")
@with_appcontext
def seed_load(persons: int, seed_value: int) -> None:
    """Fill the database with a realistic population for benchmarks (password: load-test-password)."""
    from webapp.services import load_population

    counts = load_population.seed(persons, seed_value, progress=lambda line: click.echo(line, err=True))
    click.echo(", ".join(f"{name}: {number}" for name, number in counts.items()))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Make a consistent copy of the live SQLite database in PATH (online; the app keeps serving)."""
    from webapp.services import backup as backup_service

    try:
        pages = backup_service.backup_sqlite(path)
    except backup_service.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path} ({pages} pages), integrity check ok.")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option(help="At least 12 characters.")
@with_appcontext
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    from webapp.models import Role
    from webapp.services import accounts

    try:
        user, _token = accounts.create_staff(name, email, Role.ADMIN, None, password=password)
    except accounts.AccountError as error:
        raise click.ClickException(error.message) from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Administrator {user.email} created.")


@click.group("translate")
def translate_group() -> None:
    """Translation catalogues (``make translations`` runs extract, update, source and compile)."""


def _translations_dir() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


@translate_group.command("source")
@with_appcontext
def translate_source() -> None:
    """Make the English catalogue say what the source says: English is the language of the msgids."""
    from babel.messages.pofile import read_po, write_po

    path = _translations_dir() / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    for message in catalogue:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, sort_output=True, include_lineno=False)
    click.echo(f"{path}: {len(catalogue)} messages")


@translate_group.command("new")
@click.argument("language")
@with_appcontext
def translate_new(language: str) -> None:
    """Start the catalogue of a new LANGUAGE (then translate it and add it to LANGUAGES)."""
    from babel.messages.frontend import CommandLineInterface

    base = _translations_dir()
    CommandLineInterface().run(["pybabel", "init", "-i", str(base / "messages.pot"), "-d", str(base),
                                "-l", language])


def init_app(app: Flask) -> None:
    from webapp import cli_push

    app.cli.add_command(translate_group)
    app.cli.add_command(db_group)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_load)
    app.cli.add_command(backup)
    app.cli.add_command(create_admin)
    # Notifications: push-keys and send-reminders (issue 7).
    cli_push.init_app(app)
