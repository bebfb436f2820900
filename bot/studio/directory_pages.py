"""The studio's « Annuaire » pages: editors keep the structures current without a CSV file.

The list shows the structures oldest first, with their source and date, so the stalest get
checked first; a structure's page edits its fields (checked like a CSV row) or marks it checked
today. Every change goes to the studio's change history (who, when, which fields). CSV import
and export stay on the command line (``python -m bot directory import|export``).
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from aiohttp import web

from bot.directory import Directory, InvalidDirectoryFile, open_directory
from bot.orientation.vocabulary import vocabulary
from bot.studio import history
from bot.studio.app import MESSAGES as STUDIO_MESSAGES
from bot.studio.app import STUDIO, render, see_other

DIRECTORY = web.AppKey("directory", Directory)
ACTION = "annuaire"
# The fields an editor changes on a structure's page, with their French labels.
EDITABLE = {
    "name": "Nom",
    "address": "Adresse (numéro et rue)",
    "postal_code": "Code postal",
    "city": "Ville",
    "phone": "Téléphone",
    "email": "E-mail de la structure",
    "url": "Site web",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "source": "Source",
    "updated_at": "Date de la source (AAAA-MM-JJ)",
    "contact_source": "Source du téléphone et de l'e-mail",
    "contact_updated_at": "Date du téléphone et de l'e-mail",
}
# The confirmations shown after a change (« ?ok=… »), added to the studio's at setup.
MESSAGES = {
    "structure-saved": "La structure est enregistrée : le bot la donne dès maintenant.",
    "structure-checked": "La structure est marquée comme vérifiée aujourd'hui.",
    "structure-unchanged": "Rien n'a changé.",
}


def last_seen(record: dict[str, Any]) -> str:
    """The date the structure was last known right: checked by an editor, else its oldest source date."""
    dates = [d for d in (record["updated_at"], record["contact_updated_at"]) if d]
    return record["checked_at"] or (min(dates) if dates else "")


async def directory_page(request: web.Request) -> web.Response:
    records = await asyncio.to_thread(request.app[DIRECTORY].records)
    vocab = vocabulary()
    rows = sorted(
        ({**r, "door_label": vocab.door_short(r["door"]), "last_seen": last_seen(r)} for r in records),
        key=lambda r: (r["last_seen"], r["name"]),
    )
    return render(request, "annuaire.html", rows=rows)


def _record(request: web.Request, records: list[dict[str, Any]]) -> dict[str, Any]:
    structure_id = request.match_info["id"]
    for record in records:
        if record["id"] == structure_id:
            return record
    raise web.HTTPNotFound(text="Structure inconnue")


def _page(request: web.Request, record: dict[str, Any], status: int = 200, **context: Any) -> web.Response:
    changes = [
        c
        for c in history.changes(request.app[STUDIO].db)
        if c.action == ACTION and c.detail.startswith(f"{record['id']} ")
    ]
    return render(
        request,
        "structure.html",
        status=status,
        structure=record,
        fields=EDITABLE,
        door_label=vocabulary().door_label(record["door"]),
        changes=changes,
        **context,
    )


async def structure_page(request: web.Request) -> web.Response:
    records = await asyncio.to_thread(request.app[DIRECTORY].records)
    return _page(request, _record(request, records))


async def _change(request: web.Request, values: dict[str, str]) -> web.StreamResponse:
    directory = request.app[DIRECTORY]
    record = _record(request, await asyncio.to_thread(directory.records))
    try:
        changed = await asyncio.to_thread(directory.update, record["id"], values)
    except InvalidDirectoryFile as exc:
        problems = [{"field": "formulaire", "message": error, "blocking": True} for error in exc.errors]
        return _page(request, {**record, **values}, status=422, problems=problems)
    if not changed:
        raise see_other(f"/annuaire/{record['id']}?ok=structure-unchanged")
    studio = request.app[STUDIO]
    labels = ", ".join(EDITABLE.get(f, "vérifiée aujourd'hui") for f in changed)
    detail = f"{record['id']} ({record['name']}) : {labels}"
    await asyncio.to_thread(history.record, studio.db, request["session"].user, ACTION, detail, studio.project.root, [])
    outcome = "checked" if changed == ["checked_at"] else "saved"
    raise see_other(f"/annuaire/{record['id']}?ok=structure-{outcome}")


async def save_structure(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    return await _change(request, {f: str(form.get(f, "")) for f in EDITABLE})


async def mark_checked(request: web.Request) -> web.StreamResponse:
    return await _change(request, {"checked_at": date.today().isoformat()})


def setup(app: web.Application, directory: Directory | None = None) -> None:
    """Add the « Annuaire » routes to the studio, on the bot's directory (``DATABASE_URL``)."""
    app[DIRECTORY] = directory or open_directory()
    STUDIO_MESSAGES.update(MESSAGES)
    app.add_routes(
        [
            web.get("/annuaire", directory_page),
            web.get("/annuaire/{id}", structure_page),
            web.post("/annuaire/{id}", save_structure),
            web.post("/annuaire/{id}/verifiee", mark_checked),
        ]
    )
