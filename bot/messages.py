"""The French a person reads about a recommendation, as text: the CLI, and every channel
without cards. The cards show the same view (``bot.presentation``), laid out differently.
"""

from __future__ import annotations

from bot.orientation.model import Recommendation
from bot.orientation.vocabulary import Vocabulary
from bot.presentation import Contact, view
from bot.wording import etoile_info, say

ETOILE_INFO_PHONE = etoile_info().phone
# What a channel answers itself when the bot could not handle the message at all.
TECHNICAL_ERROR = say("errors.technical")


def contact_text(contact: Contact) -> str:
    return "\n".join(contact.lines())


def recommendation_text(rec: Recommendation, vocab: Vocabulary | None = None) -> str:
    """The answer: the door and why, then where, then the CEP step and what to do next."""
    shown = view(rec.as_payload(), vocab)
    parts = [f"{shown.title}.", shown.reason]
    if shown.contact:
        parts.append(f"{shown.contact_intro}\n{contact_text(shown.contact)}")
    if shown.step:
        parts.append(shown.step)
    parts.append(f"{say('recommendation.next_steps')} :\n" + "\n".join(f"• {step}" for step in shown.next_steps))
    if shown.alternatives:
        lines = [f"{shown.alternatives_title} :"]
        for alternative in shown.alternatives:
            lines.append(f"• {alternative.text}")
            if alternative.contact:
                lines += [f"  {line}" for line in alternative.contact.lines()]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
