"""Writing an Anki deck (.apkg) of questions with `genanki`.

Each note's GUID comes from its item id (`genanki.guid_for`), and the model and
deck ids are fixed by name, so importing a re-exported deck into Anki updates
the notes already there instead of adding duplicates. The cards' HTML is built
by the pure `engine.practice.flashcards`.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from pathlib import Path

import genanki

from engine.bank.model import ItemSpec
from engine.practice.flashcards import flashcard
from engine.practice.model import AnkiExport
from engine.service.askable_bank import AskableBank
from engine.service.errors import QuizError

# Fixed for ever: Anki matches note types by id, so a new id would make a second note type.
MODEL_ID = 1_607_392_319
MODEL_NAME = "skillprobe question"
CSS = """
.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.sp-where { font-size: 13px; color: #777; margin-bottom: 0.6em; }
.sp-options { list-style: none; padding-left: 0; }
.sp-label { font-weight: bold; margin-right: 0.4em; }
.sp-hint { font-size: 13px; color: #777; margin-top: 0.6em; }
pre { background: #f4f4f4; padding: 0.5em; overflow-x: auto; text-align: left; }
.nightMode pre { background: #2b2b2b; }
"""

MODEL = genanki.Model(
    MODEL_ID,
    MODEL_NAME,
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Item"}],
    templates=[
        {
            "name": "Question and answer",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
        }
    ],
    css=CSS,
    sort_field_index=2,
)


def deck_id(name: str) -> int:
    """A stable deck id from its name, in the range genanki recommends ([2^30, 2^31))."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")
    return (1 << 30) + digest % (1 << 30)


def note_guid(item_id: str) -> str:
    return str(genanki.guid_for("skillprobe", item_id))


def write_deck(
    path: Path, deck_name: str, items: Sequence[ItemSpec], bank: AskableBank
) -> AnkiExport:
    """Write `items` as the deck `deck_name` to `path` (.apkg)."""
    if path.suffix.lower() != ".apkg":
        raise QuizError(f"{path}: an Anki deck file must end in .apkg")
    deck = genanki.Deck(deck_id(deck_name), deck_name)
    for item in items:
        card = flashcard(
            item,
            area_title=bank.area(item.area).title,
            topic_title=bank.topic_title(item.area, item.topic),
        )
        deck.add_note(
            genanki.Note(
                model=MODEL,
                fields=[card.front, card.back, html.escape(item.id)],
                tags=list(card.tags),
                guid=note_guid(item.id),
            )
        )
    try:
        genanki.Package(deck).write_to_file(str(path))
    except OSError as error:
        raise QuizError(f"{path}: cannot write the deck: {error.strerror or error}") from error
    return AnkiExport(str(path), len(items), deck_name)
