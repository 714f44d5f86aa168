"""The skeleton the project's recognizers share, so that each class holds only its rules."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import LocalRecognizer, RecognizerResult


class TextRecognizer(LocalRecognizer):
    """A Presidio recognizer that reads the text itself: nothing to load, one way to build a result.

    A subclass declares `ENTITY` (one type) or `ENTITIES` (several) and implements `analyze`, building its results
    with `result`: the analyzer's context step (`stage._ContextWhereNeeded`) tells results apart by the recognizer
    id in their metadata.
    """

    ENTITY: ClassVar[str] = ""
    ENTITIES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, supported_language: str = "en") -> None:
        entities = list(self.ENTITIES) or [self.ENTITY]
        super().__init__(supported_entities=entities, supported_language=supported_language)

    def load(self) -> None:
        """Nothing to load: patterns compile at import, lexicons in `__init__`."""

    def result(self, entity: str, start: int, end: int, score: float) -> RecognizerResult:
        """A result tagged with this recognizer's name and id; scores above 1 are capped."""
        return RecognizerResult(
            entity_type=entity,
            start=start,
            end=end,
            score=min(1.0, score),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
