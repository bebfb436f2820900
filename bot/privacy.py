"""Privacy by design (RGPD), in one place: retention, erasure across stores, pseudonyms, redaction.

- Retention: one setting, ``SPRO_RETENTION_DAYS``, read by the session-start notice and by
  ``python -m bot purge``, so what the bot announces is what the purge does.
- Erasure: the conversation store deletes a conversation when the person asks for it; stores that
  keep their own per-user records (a channel's message-id deduplication, for instance) register a
  ``forget(sender_id)`` callable here, and the erasure calls each of them.
- Analytics never see a sender id (on WhatsApp it is a phone number) nor a raw message: ids become
  keyed hashes (HMAC-SHA256 with ``SPRO_ANALYTICS_SALT``) and texts lose their digits, e-mail
  addresses, phone numbers, postal addresses and the names people give (« je m'appelle… »).

See ``docs/confidentialite.md``.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import logging
import os
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from bot.text import well_formed

logger = logging.getLogger(__name__)

RETENTION_VARIABLE = "SPRO_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 180
SALT_VARIABLE = "SPRO_ANALYTICS_SALT"
MIN_SALT_LENGTH = 16  # a short salt can be guessed, and then every phone number hashed with it

# -- retention --------------------------------------------------------------------------------


def retention_days() -> int:
    """How long a conversation is kept after its last message, in days."""
    raw = os.environ.get(RETENTION_VARIABLE, str(DEFAULT_RETENTION_DAYS))
    try:
        days = int(raw)
    except ValueError as exc:
        raise ValueError(f"{RETENTION_VARIABLE} doit être un nombre de jours, pas « {raw} »") from exc
    if days < 1:
        raise ValueError(f"{RETENTION_VARIABLE} doit être d'au moins 1 jour, pas {days}")
    return days


# -- erasure across stores --------------------------------------------------------------------

# The slot whose setting to true *is* the request: the conversation store erases on this event,
# whichever action sent it, instead of spotting an action's name (domain.yml declares the slot).
ERASURE_SLOT = "erasure_requested"


def erasure_event() -> dict[str, Any]:
    """The event an action returns, once the person confirmed, to have their conversation erased."""
    return {"event": "slot", "timestamp": None, "name": ERASURE_SLOT, "value": True}


def requests_erasure(event: Any) -> bool:
    """True for the stored form (``rasa.shared``) of ``erasure_event()``."""
    return getattr(event, "key", None) == ERASURE_SLOT and getattr(event, "value", None) is True


Forget = Callable[[str], "Awaitable[None] | None"]
_forgetters: dict[str, Forget] = {}


def register_forget(name: str, forget: Forget) -> None:
    """Have ``forget(sender_id)`` called whenever a person's conversation is erased.

    For any store that keeps records keyed by sender id outside the conversation store. Call it
    where the store is created (in the Rasa server's process, since that is where the erasure
    runs); registering the same name again replaces the previous callable. ``forget`` may be a
    plain function or a coroutine function; it must delete everything it holds for that sender
    and must not fail when it holds nothing.
    """
    _forgetters[name] = forget


async def forget_everywhere(sender_id: str) -> list[str]:
    """Call every registered ``forget``; return the names of the stores that failed.

    One failing store does not stop the others, nor the erasure of the conversation itself. The
    failure is logged with the store's name and the exception's type only: an exception message
    may quote the sender id.
    """
    failed = []
    for name, forget in list(_forgetters.items()):
        try:
            result = forget(sender_id)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            logger.error("erasure: store %r could not forget a sender (%s)", name, type(exc).__name__)
            failed.append(name)
    return failed


# -- pseudonyms -------------------------------------------------------------------------------


def analytics_salt() -> tuple[str, bool]:
    """The salt for analytics pseudonyms, and whether it is the configured (stable) one.

    Unset, a random salt is used for this run only: the pseudonyms are then safe but cannot be
    compared from one report to the next. A salt shorter than 16 characters is refused, because
    sender ids (phone numbers) are few enough to be hashed one by one with a guessed salt.
    """
    salt = os.environ.get(SALT_VARIABLE, "")
    if not salt:
        return secrets.token_hex(32), False
    if len(salt) < MIN_SALT_LENGTH:
        raise ValueError(f"{SALT_VARIABLE} est trop court ({len(salt)} caractères, {MIN_SALT_LENGTH} au moins)")
    return salt, True


def pseudonym(sender_id: str, salt: str) -> str:
    """A stable, non-reversible identifier for ``sender_id`` (keyed hash, 16 hex digits)."""
    return hmac.new(salt.encode(), sender_id.encode(), hashlib.sha256).hexdigest()[:16]


# -- redaction --------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Eight digits or more, possibly after « + » and separated by spaces, dots, dashes or brackets:
# French numbers in every usual spelling (06 12 34 56 78, +33 6 12 34 56 78, 06.12.34.56.78).
PHONE = re.compile(r"\+?\d(?:[\s.()-]*\d){7,}")
DIGIT = re.compile(r"\d")
# A name given by the person: the words after « je m'appelle », « moi c'est », « mon nom est »…,
# up to three, stopping at punctuation or at a word that starts the rest of the sentence.
NAME_INTRO = re.compile(
    r"\b(?P<intro>je\s+m['’]\s*appelle|moi\s+c['’]\s*est|je\s+me\s+nomme|"
    r"mon\s+(?:nom|prénom|prenom|nom\s+de\s+famille)\s+(?:est|c['’]\s*est)|"
    r"je\s+suis\s+(?:madame|monsieur|mme|mlle|m\.))\s+",
    re.IGNORECASE,
)
NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
NOT_A_NAME = {
    "et", "je", "j", "mais", "donc", "car", "ou", "qui", "que", "à", "a", "au", "de", "du", "des", "la",
    "le", "les", "en", "sur", "pour", "avec", "dans", "ai", "suis", "habite", "ans", "vous", "votre", "mon",
    "ma", "mes", "est", "bonjour", "merci", "svp", "s'il", "j'ai", "j'habite", "jsuis", "ok",
}  # fmt: skip
STREET = (
    r"(?:rue|avenue|av\.|boulevard|bd|place|allée|allee|impasse|chemin|route|quai|cours|square|"
    r"résidence|residence|lotissement|faubourg|hameau|lieu-dit)"
)
# « 12 bis rue des Lilas », « 3, allée du Parc » (a number first), or « rue Victor Hugo » (a capital
# after), up to punctuation or to « à Vierzon », « et… », which are the rest of the sentence.
STREET_NAME = r"(?:(?!\s(?:à|a|au|aux|et|je|j['’]|pour|mais)\b)[^,.;:!?\n]){0,60}"
ADDRESS = re.compile(
    rf"\b\d{{1,4}}(?:\s*(?:bis|ter))?\s*,?\s+(?i:{STREET})\b{STREET_NAME}"
    rf"|\b(?i:{STREET})\s+(?:(?i:de\s+la|de\s+l['’]|du|des|de|d['’])\s*)?[A-ZÀ-Ý]{STREET_NAME}"
)


def _name_length(rest: str) -> int:
    """How many characters of ``rest`` (what follows an introduction) are the name."""
    taken = end = 0
    for word in NAME_WORD.finditer(rest):
        if taken == 3 or word.group().lower() in NOT_A_NAME or rest[end : word.start()].strip():
            break
        taken, end = taken + 1, word.end()
    return end


def mask_names(text: str) -> str:
    """« je m'appelle Marie Dupont et… » → « je m'appelle [nom] et… »."""
    out, last = [], 0
    for match in NAME_INTRO.finditer(text):
        if match.start() < last:
            continue
        length = _name_length(text[match.end() :])
        if length:
            out.append(text[last : match.end()] + "[nom]")
            last = match.end() + length
    return "".join(out) + text[last:]


def redact(text: str) -> str:
    """``text`` without e-mail addresses, phone numbers, postal addresses, the names people give
    or any other digit (a postal code, an age…).

    Also well formed (``bot.text``): an export must not fail on a message stored before the
    channels cleaned them."""
    text = EMAIL.sub("[e-mail]", well_formed(text))
    text = PHONE.sub("[téléphone]", text)
    text = ADDRESS.sub("[adresse]", text)
    return DIGIT.sub("#", mask_names(text))
