"""Practice sessions (issue #15): spaced repetition of missed questions, then new ones.

`model` holds the plain values (light: the app imports it), `scheduling` the FSRS
glue, `selection` the choice of the next question over the bank's arrays, `topics`
which topics new questions come from, and `flashcards` the Anki cards' HTML.
Pure functions only: no database, no printing (docs/engine.md, "Practice sessions").
"""
