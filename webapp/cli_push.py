"""Command-line tools for notifications: ``flask push-keys`` and ``flask send-reminders``."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.config import VAPID_FILES


def _valid_subject(subject: str) -> bool:
    return (subject.startswith("mailto:") and "@" in subject) or subject.startswith("https://")


@click.command("push-keys")
@click.option("--subject", default=lambda: os.environ.get("VAPID_SUBJECT", ""),
              help="How push services reach the operator: mailto:someone@example.org or an https:// URL.")
@click.option("--print", "print_only", is_flag=True, help="Print the environment variables instead of writing files.")
@click.option("--force", is_flag=True, help="Replace existing keys (every device must then turn notifications on again).")
@with_appcontext
def push_keys(subject: str, print_only: bool, force: bool) -> None:
    """Generate the VAPID key pair for web push, into the instance folder (or print it)."""
    from webapp.services import push

    if not _valid_subject(subject):
        raise click.ClickException("Give --subject mailto:you@example.org (or an https:// URL): push services "
                                   "use it to reach the operator.")
    private, public = push.generate_keys()
    values = {"VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public, "VAPID_SUBJECT": subject}
    if print_only:
        for name, value in values.items():
            click.echo(f"{name}={value}")
        return
    folder = Path(current_app.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / filename for name, filename in VAPID_FILES.items()}
    if paths["VAPID_PRIVATE_KEY"].exists() and not force:
        raise click.ClickException(f"{paths['VAPID_PRIVATE_KEY']} exists. New keys make every subscribed device "
                                   "stop receiving notifications until it turns them on again; use --force for that.")
    for name, path in paths.items():
        mode = 0o600 if name == "VAPID_PRIVATE_KEY" else 0o644
        if path.exists():
            path.unlink()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(values[name] + "\n")
    click.echo(f"VAPID keys written to {folder} (the private key with mode 600). Restart the app to use them.")
    click.echo(f"Public key: {public}")


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Create every reminder that is due and not yet sent, and send every push that is due.

    First the day's housekeeping: consents whose end date has passed cancel their planned meetings
    (access already ended by itself), and request drafts left unused for a month are erased.
    Safe to run as often as you like, also twice at once: nothing is ever sent twice.
    """
    from webapp.services import consent, reminders, request_drafts

    lapsed = consent.expire_lapsed()
    purged = request_drafts.purge_expired()
    created, pushed = reminders.send_reminders()
    total = sum(created.values())
    details = ", ".join(f"{kind} {count}" for kind, count in sorted(created.items()))
    click.echo(f"Reminders created: {total}" + (f" ({details})" if details else ""))
    click.echo("Pushes: " + ", ".join(f"{name} {count}" for name, count in pushed.items()))
    click.echo(f"Consents that ended: {lapsed}; unused request drafts erased: {purged}")


def init_app(app) -> None:
    """Register the notification commands."""
    app.cli.add_command(push_keys)
    app.cli.add_command(send_reminders)
