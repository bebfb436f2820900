"""The studio's web application (aiohttp, server-rendered pages): routes only, the work is in
the sibling modules. Every page is French and follows the RGAA (see ``templates/base.html``)."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, Undefined, select_autoescape
from sqlalchemy.engine import Engine

from bot.studio import checks, history, inbox, publish, security, throttle
from bot.studio.accounts import authenticate
from bot.studio.db import open_db
from bot.studio.project import Project, annotate, annotations, plain_text
from bot.studio.publish import DEFAULT_MARGIN, PublishError, RasaServer
from bot.studio.training import STEPS, Trainer

HERE = Path(__file__).parent
PUBLIC = ("/connexion", "/static/")
FAILED_LOGIN_DELAY = 1.0
# Editing forms stay far below this; larger bodies are refused (413) before they are read.
MAX_BODY_BYTES = 512 * 1024
# The login form (the only body read without a session) is a few hundred bytes.
MAX_PUBLIC_BODY_BYTES = 8 * 1024
MESSAGES = {
    "examples": "Les exemples sont enregistrés. Entraînez un nouveau modèle pour que le bot les apprenne.",
    "answer": "La réponse est enregistrée. Entraînez et publiez un modèle pour que le bot l'utilise.",
    "annotated": "L'annotation est enregistrée.",
    "created": "L'intention est créée. Entraînez puis publiez un modèle pour que le bot la connaisse.",
    "assigned": "Le message est devenu un exemple de l'intention choisie.",
    "dismissed": "Le message est écarté.",
    "training": "L'entraînement a commencé. Vous pouvez continuer à travailler : cette page suit son avancement.",
    "published": "Le nouveau modèle est en service : le bot l'utilise dès maintenant.",
    "rolledback": "Le modèle précédent est de nouveau en service.",
    "loggedout": "Vous êtes déconnecté.",
}
Context = dict[str, Any]


@dataclass
class Studio:
    project: Project
    db: Engine
    conversations: Engine
    trainer: Trainer
    server: RasaServer
    margin: float = DEFAULT_MARGIN
    inbox_threshold: float = inbox.LOW_CONFIDENCE
    throttle: throttle.LoginThrottle = field(default_factory=throttle.LoginThrottle)


STUDIO = web.AppKey("studio", Studio)
TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]), trim_blocks=True
)


def _known(value: Any) -> bool:
    return value is not None and not isinstance(value, Undefined)


TEMPLATES.filters["pct"] = lambda value: f"{value * 100:.0f} %" if _known(value) else "—"
TEMPLATES.filters["f1"] = lambda value: f"{value:.2f}".replace(".", ",") if _known(value) else "—"


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    session: security.Session | None = request.get("session")
    page = TEMPLATES.get_template(template).render(
        user=session.user if session else None,
        csrf=session.csrf if session else request.get("login_csrf", ""),
        path=request.path,
        message=MESSAGES.get(request.query.get("ok", "")),
        **context,
    )
    return web.Response(text=page, content_type="text/html", charset="utf-8", status=status)


def refuse(request: web.Request, reason: str, status: int = 403) -> web.Response:
    return render(request, "refus.html", status=status, reason=reason)


def see_other(location: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location)


@web.middleware
async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
    """Log-in required, CSRF token and same-site origin on every POST, strict security headers.

    The session is checked before any body is read: without one, only the login form's body is
    parsed, and only when it is small. Compressed bodies are refused (415), whatever the size they
    claim: aiohttp would inflate them in memory (issue 14 measured 56 → 179 MB for a 61 KB gzip).
    """
    studio = request.app[STUDIO]
    public = request.path.startswith(PUBLIC)
    session = security.current_session(studio.db, request)
    request["session"] = session
    if not public and session is None:
        if request.method == "GET":
            raise see_other("/connexion")
        return _headers(refuse(request, "Connectez-vous pour continuer.", status=401))
    if request.method == "POST":
        if request.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
            return _headers(refuse(request, "Les envois compressés ne sont pas acceptés.", status=415))
        limit = MAX_BODY_BYTES if session else MAX_PUBLIC_BODY_BYTES
        if request.content_length is None or request.content_length > limit:
            return _headers(refuse(request, "Cet envoi est trop volumineux.", status=413))
        form = await request.post()
        expected = session.csrf if session else request.cookies.get(security.LOGIN_COOKIE)
        if not security.same_site(request) or not security.csrf_ok(expected, str(form.get("csrf", ""))):
            response = refuse(request, "Cette demande ne vient pas d'une page du studio : elle est refusée.")
            return _headers(response)
    response = await handler(request)
    return _headers(response)


def _headers(response: web.StreamResponse) -> web.StreamResponse:
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


# -- log in / out ---------------------------------------------------------------------------


async def login_page(request: web.Request, error: str = "", login: str = "", status: int = 401) -> web.Response:
    token = request.cookies.get(security.LOGIN_COOKIE) or secrets.token_urlsafe(32)
    request["login_csrf"] = token
    response = render(request, "connexion.html", status=status if error else 200, error=error, login=login)
    security.set_cookie(request, response, security.LOGIN_COOKIE, token, max_age=3600)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    studio = request.app[STUDIO]
    form = await request.post()
    name, password = str(form.get("login", "")), str(form.get("password", ""))
    key, address = name.strip().lower(), request.remote or ""
    refused = _throttled(studio, key, address)
    if refused:
        return await login_page(request, refused, name, status=429)
    async with throttle.hashing:
        # Checked again: attempts queued behind a flood must not all get their password checked.
        refused = _throttled(studio, key, address)
        if refused:
            return await login_page(request, refused, name, status=429)
        user = await asyncio.to_thread(authenticate, studio.db, name, password)
    if user is None:
        studio.throttle.failed(key, address)
        await asyncio.sleep(FAILED_LOGIN_DELAY)  # slows password guessing down
        return await login_page(request, "Identifiant ou mot de passe incorrect.", name)
    studio.throttle.succeeded(key)
    token, _csrf = security.open_session(studio.db, user)
    response = see_other("/")
    security.set_cookie(request, response, security.COOKIE, token, max_age=security.SESSION_SECONDS)
    response.del_cookie(security.LOGIN_COOKIE, path="/")
    raise response


def _throttled(studio: Studio, login: str, address: str) -> str:
    """Why this attempt is refused without checking the password (``bot.studio.throttle``), or ""."""
    wait = studio.throttle.wait_seconds(login, address)
    if wait <= 0:
        return ""
    if studio.throttle.locked(login, address):
        minutes = throttle.LOCKOUT_SECONDS // 60
        return f"Trop d'essais : la connexion est bloquée pendant {minutes} minutes. Réessayez plus tard."
    return f"Trop d'essais : attendez {throttle.rounded_up(wait)} secondes avant de réessayer."


async def logout(request: web.Request) -> web.StreamResponse:
    security.close_session(request.app[STUDIO].db, request["session"])
    response = see_other("/connexion?ok=loggedout")
    response.del_cookie(security.COOKIE, path="/")
    raise response


# -- intents ----------------------------------------------------------------------------------


async def intents_page(request: web.Request) -> web.Response:
    studio = request.app[STUDIO]
    evaluation = studio.trainer.last_evaluation() or {}
    scores = evaluation.get("intents", {})
    rows = [
        {"name": i.name, "count": len(i.examples), "f1": (scores.get(i.name) or {}).get("f1"), "file": i.file.name}
        for i in studio.project.intents().values()
    ]
    return render(request, "intentions.html", rows=rows, evaluated=bool(evaluation))


def _intent_context(studio: Studio, name: str) -> Context:
    intent = studio.project.intents().get(name)
    if intent is None:
        raise web.HTTPNotFound(text="Intention inconnue")
    rows = [{"text": e, "plain": plain_text(e), "annotations": annotations(e)} for e in intent.examples]
    return {
        "intent": intent,
        "examples": rows,
        "entities": studio.project.entities(),
        "answer": studio.project.answer(name),
        "problems": [],
    }


async def _editing(request: web.Request) -> tuple[Studio, str, Context, Any]:
    """What every form of an intent's page starts from: the intent as it is, and the form."""
    studio = request.app[STUDIO]
    name = request.match_info["name"]
    return studio, name, _intent_context(studio, name), await request.post()


def _saved(request: web.Request, action: str, detail: str, files: list[Path], location: str) -> web.HTTPSeeOther:
    """Record a change (and commit its files), then send the editor to ``location``."""
    studio = request.app[STUDIO]
    history.record(studio.db, request["session"].user, action, detail, studio.project.root, files)
    return see_other(location)


async def intent_page(request: web.Request) -> web.Response:
    studio = request.app[STUDIO]
    return render(request, "intention.html", **_intent_context(studio, request.match_info["name"]))


async def save_examples(request: web.Request) -> web.StreamResponse:
    studio, name, context, form = await _editing(request)
    kept = []
    for i in range(len(context["examples"])):
        text = str(form.get(f"ex-{i}", "")).strip()
        if text and not form.get(f"del-{i}"):
            kept.append(text)
    examples = checks.split_lines("\n".join([*kept, str(form.get("new", ""))]))
    problems = checks.check_examples(studio.project, name, examples, field="new")
    blocking = [p for p in problems if p.blocking]
    if blocking or (problems and not form.get("confirm")):
        context.update(problems=problems, new=str(form.get("new", "")), confirmable=not blocking)
        return render(request, "intention.html", status=422, **context)
    path = studio.project.set_examples(name, examples)
    removed = len(context["examples"]) - len(kept)
    added = len(examples) - len(kept)
    detail = f"{name} : {added} exemple(s) ajouté(s), {removed} supprimé(s)"
    raise _saved(request, "exemples", detail, [path], f"/intentions/{name}?ok=examples")


async def annotate_example(request: web.Request) -> web.StreamResponse:
    """Through the same checks as editing: an annotation must leave a file Rasa can read."""
    studio, name, context, form = await _editing(request)
    examples = list(context["intent"].examples)
    try:
        index = int(str(form.get("example", "")))
        if not 0 <= index < len(examples):
            raise ValueError("choisissez un exemple de la liste")
        entity = str(form.get("entity", ""))
        if entity not in context["entities"]:
            raise ValueError("choisissez une entité")
        examples[index] = annotate(examples[index], str(form.get("fragment", "")), entity, str(form.get("value", "")))
    except (ValueError, IndexError) as exc:
        context["problems"] = [checks.Problem("bad_fragment", "fragment", str(exc).capitalize() + ".")]
        return render(request, "intention.html", status=422, **context)
    problems = [p for p in checks.check_examples(studio.project, name, examples, field="fragment") if p.blocking]
    if problems:
        context["problems"] = problems
        return render(request, "intention.html", status=422, **context)
    path = studio.project.set_examples(name, examples)
    detail = f"{name} : annotation « {form.get('fragment')} » ({form.get('entity')})"
    raise _saved(request, "annotation", detail, [path], f"/intentions/{name}?ok=annotated")


async def save_answer(request: web.Request) -> web.StreamResponse:
    studio, name, context, form = await _editing(request)
    text = str(form.get("answer", ""))
    problems = checks.check_answer(text)
    if problems or context["answer"] is None:
        context["problems"] = problems or [
            checks.Problem("answer_in_domain", "answer", "Cette réponse se modifie dans domain.yml.")
        ]
        return render(request, "intention.html", status=422, **context)
    studio.project.set_answer(name, text)
    files = [studio.project.domain_path]
    raise _saved(request, "réponse", f"{name} : réponse modifiée", files, f"/intentions/{name}?ok=answer")


async def new_intent_page(request: web.Request) -> web.Response:
    studio = request.app[STUDIO]
    return render(request, "nouvelle.html", needs=studio.project.needs(), form={"kind": "qa"}, problems=[])


async def create_intent(request: web.Request) -> web.StreamResponse:
    studio = request.app[STUDIO]
    form = {k: str(v) for k, v in (await request.post()).items()}
    name = checks.slug(form.get("name", ""))
    examples = checks.split_lines(form.get("examples", ""))
    kind, answer, need = form.get("kind", ""), form.get("answer", ""), form.get("need", "")
    problems = checks.check_new_intent(studio.project, name, examples, kind, answer, need)
    blocking = [p for p in problems if p.blocking]
    if blocking or (problems and not form.get("confirm")):
        return render(
            request,
            "nouvelle.html",
            status=422,
            needs=studio.project.needs(),
            form=form,
            problems=problems,
            confirmable=not blocking,
        )
    files = studio.project.create_intent(name, examples, kind, answer, need)
    what = "question-réponse" if kind == "qa" else f"besoin {need}"
    detail = f"nouvelle intention {name} ({what}, {len(examples)} exemples)"
    raise _saved(request, "création", detail, files, f"/intentions/{name}?ok=created")


# -- inbox ------------------------------------------------------------------------------------


async def inbox_page(request: web.Request) -> web.Response:
    return await _inbox(request, request.app[STUDIO])


async def _inbox(request: web.Request, studio: Studio, error: str = "", status: int = 200) -> web.Response:
    messages = await asyncio.to_thread(inbox.pending, studio.conversations, studio.db, studio.inbox_threshold)
    intents = list(studio.project.intents())
    context = {"messages": messages, "intents": intents, "threshold": studio.inbox_threshold, "error": error}
    return render(request, "boite.html", status=status, **context)


async def inbox_decide(request: web.Request) -> web.StreamResponse:
    studio = request.app[STUDIO]
    user = request["session"].user
    event_id = int(request.match_info["event"])
    form = await request.post()
    message = await asyncio.to_thread(inbox.find, studio.conversations, studio.db, event_id, studio.inbox_threshold)
    if message is None:
        raise web.HTTPNotFound(text="Message inconnu ou déjà traité")
    if form.get("action") == "dismiss":
        inbox.decide(studio.db, event_id, "dismissed", user.login)
        # The message's text stays out of the history and of git (issue 14): its number only.
        history.record(studio.db, user, "boîte", f"message n° {event_id} écarté", studio.project.root, [])
        raise see_other("/boite?ok=dismissed")
    intent = str(form.get("intent", ""))
    intents = studio.project.intents()
    if intent not in intents:
        return await _inbox(request, studio, "Choisissez une intention existante.", status=422)
    # One message is one example: line breaks and runs of spaces collapse before the duplicate check.
    text = " ".join(message.text.split())
    problems = [
        p
        for p in checks.check_examples(studio.project, intent, [text])
        if p.blocking and p.code != checks.TOO_FEW_EXAMPLES
    ]
    if problems:
        return await _inbox(request, studio, f"Rien n'a été enregistré : {problems[0].message}", status=422)
    if form.get("confirm") != "oui":
        # The editor sees exactly what will be kept (redacted) before it becomes an example.
        return render(request, "confirmer.html", event_id=event_id, intent=intent, text=text)
    # split_lines drops a message the intent already has (same words): it is then only marked.
    path = studio.project.set_examples(intent, checks.split_lines("\n".join([*intents[intent].examples, text])))
    inbox.decide(studio.db, event_id, "assigned", user.login, intent)
    detail = f"message n° {event_id} ajouté à {intent}"
    history.record(studio.db, user, "boîte", detail, studio.project.root, [path])
    raise see_other("/boite?ok=assigned")


# -- train, evaluate, publish ----------------------------------------------------------------


def _model_context(studio: Studio) -> Context:
    jobs = studio.trainer.jobs()
    latest = jobs[0] if jobs else None
    evaluation = studio.trainer.evaluation(latest.id) if latest and latest.state == "done" else None
    service = (evaluation or {}).get("service") or {}
    candidate_f1 = (evaluation or {}).get("macro_f1")
    service_f1 = service.get("macro_f1")
    return {
        "jobs": jobs[:10],
        "latest": latest,
        "progress": studio.trainer.live_progress(latest) if latest else "",
        "steps": STEPS,
        "evaluation": evaluation,
        "service": service,
        "drop": publish.drop_refused(candidate_f1, service_f1, studio.margin),
        "margin": studio.margin,
        "publications": publish.publications(studio.db),
        "previous": publish.previous_model(studio.project),
        "light_config": not studio.trainer.uses_project_config,
    }


async def model_page(request: web.Request) -> web.Response:
    studio = request.app[STUDIO]
    return render(request, "modele.html", error="", **_model_context(studio))


async def model_state(request: web.Request) -> web.Response:
    studio = request.app[STUDIO]
    jobs = studio.trainer.jobs()
    if not jobs:
        return web.json_response({"state": "none"})
    job = jobs[0]
    return web.json_response(
        {"id": job.id, "state": job.state, "step": STEPS[job.step], "progress": studio.trainer.live_progress(job)}
    )


async def start_training(request: web.Request) -> web.StreamResponse:
    studio = request.app[STUDIO]
    user = request["session"].user
    try:
        job = studio.trainer.start(user.login)
    except RuntimeError as exc:
        return render(request, "modele.html", status=409, error=str(exc).capitalize() + ".", **_model_context(studio))
    history.record(studio.db, user, "entraînement", f"entraînement {job.id} lancé", studio.project.root, [])
    raise see_other("/modele?ok=training")


async def confusion_image(request: web.Request) -> web.StreamResponse:
    studio = request.app[STUDIO]
    try:
        path = studio.trainer.folder(request.match_info["job"]) / "confusion.png"
    except ValueError as exc:
        raise web.HTTPNotFound() from exc
    if not path.exists():
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers={"Content-Type": "image/png"})


async def publish_model(request: web.Request) -> web.StreamResponse:
    studio = request.app[STUDIO]
    user = request["session"].user
    form = await request.post()
    context = _model_context(studio)
    job = studio.trainer.get(str(form.get("job", "")))
    if job is None or job.state != "done" or not job.model or not Path(job.model).exists():
        return render(request, "modele.html", status=409, error="Ce modèle n'est pas prêt.", **context)
    evaluation = studio.trainer.evaluation(job.id) or {}
    candidate = evaluation.get("macro_f1")
    service = (evaluation.get("service") or {}).get("macro_f1")
    if publish.drop_refused(candidate, service, studio.margin) and not (user.is_admin and form.get("confirm")):
        error = (
            "Publication refusée : ce modèle comprend moins bien que celui en service "
            f"(macro-F1 {candidate:.2f} contre {service:.2f}). Seul un administrateur peut le publier quand même."
        )
        return render(request, "modele.html", status=409, error=error, **context)
    try:
        await asyncio.to_thread(
            publish.publish,
            studio.db,
            studio.project,
            studio.server,
            Path(job.model),
            user.login,
            macro_f1=candidate,
            trained_with_project_config=job.config == str(studio.project.config_path.resolve()),
        )
    except PublishError as exc:
        return render(request, "modele.html", status=502, error=f"Publication impossible : {exc}.", **context)
    f1 = "—" if candidate is None else f"{candidate:.2f}"
    history.record(studio.db, user, "publication", f"modèle {job.id} publié (macro-F1 {f1})", studio.project.root, [])
    raise see_other("/modele?ok=published")


async def rollback(request: web.Request) -> web.StreamResponse:
    studio = request.app[STUDIO]
    user = request["session"].user
    previous = publish.previous_model(studio.project)
    if previous is None:
        return render(request, "modele.html", status=409, error="Aucun modèle précédent.", **_model_context(studio))
    try:
        await asyncio.to_thread(
            publish.publish,
            studio.db,
            studio.project,
            studio.server,
            previous,
            user.login,
            macro_f1=None,
            trained_with_project_config=False,
            rollback=True,
        )
    except PublishError as exc:
        context = _model_context(studio)
        return render(request, "modele.html", status=502, error=f"Retour impossible : {exc}.", **context)
    history.record(studio.db, user, "retour", f"retour au modèle {previous.name}", studio.project.root, [])
    raise see_other("/modele?ok=rolledback")


async def history_page(request: web.Request) -> web.Response:
    return render(request, "historique.html", changes=history.changes(request.app[STUDIO].db))


def create_app(
    project_root: Path,
    var_dir: Path,
    conversations: Engine,
    rasa_url: str,
    rasa_token: str,
    train_config: Path | None = None,
    margin: float = DEFAULT_MARGIN,
    inbox_threshold: float = inbox.LOW_CONFIDENCE,
) -> web.Application:
    project = Project(project_root)
    db = open_db(var_dir)
    trainer = Trainer(project, var_dir, train_config, rasa_url, rasa_token)
    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY_BYTES)
    app[STUDIO] = Studio(project, db, conversations, trainer, RasaServer(rasa_url, rasa_token), margin, inbox_threshold)
    app.add_routes(
        [
            web.get("/connexion", login_page),
            web.post("/connexion", login),
            web.post("/deconnexion", logout),
            web.get("/", intents_page),
            web.get("/intentions/{name}", intent_page),
            web.post("/intentions/{name}/exemples", save_examples),
            web.post("/intentions/{name}/annoter", annotate_example),
            web.post("/intentions/{name}/reponse", save_answer),
            web.get("/nouvelle-intention", new_intent_page),
            web.post("/nouvelle-intention", create_intent),
            web.get("/boite", inbox_page),
            web.post(r"/boite/{event:\d+}", inbox_decide),
            web.get("/modele", model_page),
            web.get("/modele/etat", model_state),
            web.post("/modele/entrainer", start_training),
            web.get("/modele/{job}/confusion.png", confusion_image),
            web.post("/modele/publier", publish_model),
            web.post("/modele/revenir", rollback),
            web.get("/historique", history_page),
            web.static("/static", HERE / "static"),
        ]
    )
    from bot.studio import directory_pages  # its pages use this module's helpers

    directory_pages.setup(app)
    return app
