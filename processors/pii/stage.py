"""The PII redaction stage: `TicketEvent` in, `RedactedTicket` out.

Detection = Presidio (spaCy NER for persons, a few of its pattern recognizers) + the recognizers in
`recognizers.py` + the requester's own name, email and phone as known values. NER runs as English on
every text, whatever its language: the stage runs before language detection and the small English
model is the only one available offline; the pattern recognizers and known values carry the
non-English tickets.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.tokens import Doc, Span

from processors.base import Failed, Ok
from processors.pii.address_block import AddressBlockRecognizer
from processors.pii.address_india import IndianAddressRecognizer
from processors.pii.address_inline import InlineAddressRecognizer
from processors.pii.address_postcode_label import LabelledPostcodeBlockRecognizer
from processors.pii.address_script import ScriptAddressRecognizer
from processors.pii.address_unit import UnitRecognizer
from processors.pii.config import PiiConfig, TenantPiiConfig
from processors.pii.context import is_lookalike, trim_date_time
from processors.pii.gating import (
    GatedCryptoRecognizer,
    GatedEmailRecognizer,
    GatedIpRecognizer,
    GatedUsLicenseRecognizer,
    GatedUsPassportRecognizer,
    GatedUsSsnRecognizer,
)
from processors.pii.labelled_ids import LabelledIdRecognizer
from processors.pii.name_parts import (
    adjacent_name_words,
    chat_names,
    chat_speakers,
    hyphenated_given_name_end,
    name_line_above,
    repeated_parts,
    word_not_a_name,
)
from processors.pii.names import (
    NameRecognizer,
    first_names,
    lowercase_given_names,
    name_words,
    other_languages_function_words,
    surnames,
)
from processors.pii.ner_filter import FilteredSpacyRecognizer
from processors.pii.ner_gate import may_hold_name
from processors.pii.ner_windows import name_windows, name_word_test, put_back
from processors.pii.phone_context import ContextPhoneRecognizer, numbers_by_names
from processors.pii.placeholders import inside_placeholder, numbers_in_use, token_spans
from processors.pii.recognizers import (
    AddressRecognizer,
    CardNumberRecognizer,
    IbanChecksumRecognizer,
    PhoneNumberRecognizer,
    SecretRecognizer,
    main_digits,
)
from processors.pii.redaction import TicketRedactor
from processors.pii.script_names import ScriptNameRecognizer
from processors.pii.shouting import recase_shouting, trim_recased_name
from processors.pii.table_columns import TableColumnRecognizer
from processors.pii.unknown_words import (
    UnknownWordNameRecognizer,
    english_words,
    is_english_word,
    words_beyond_nouns,
)
from processors.pii.value_repeats import repeated_values
from processors.pii.vault import PiiVault
from schemas import PiiSpan, RedactedTicket, TicketEvent

logger = logging.getLogger(__name__)
NAME_PART_SCORE = 0.7
"""A part of a name the text gives in full elsewhere (`name_parts`)."""

LANGUAGE = "en"
NER_ENTITIES = ("PERSON", "LOCATION", "ORGANIZATION", "NRP", "DATE_TIME")
_SPACY_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
"""Everything but NER. In the small English pipeline NER has its own tok2vec, so its entities are the same
without these (checked: identical PERSON spans on 400 texts), at half the CPU time. Lemmas, which
Presidio's context enhancer reads, are the lowercased tokens (`_LazyArtifacts`) instead of the lemmatizer's."""


class _LazyArtifacts(NlpArtifacts):
    """Presidio's artifacts with lemmas, token offsets and keywords made on first use. Presidio builds all three for
    every text, looking up each lemma in the vocabulary; only results of recognizers with context words read them
    (`_ContextWhereNeeded`), and most texts have none."""

    def __init__(self, doc: Doc, entities: list[Span], scores: list[float], nlp_engine: Any, language: str) -> None:
        # No super().__init__: it builds the lists eagerly. Check its attributes when upgrading Presidio.
        self.entities = entities
        self.tokens = doc
        self.nlp_engine = nlp_engine
        self.scores = scores
        self._language = language

    @cached_property
    def lemmas(self) -> list[str]:  # type: ignore[override]
        """Lowercased text as lemma: enough for Presidio's context words ("ssn", "license")."""
        return [token.lower_ for token in self.tokens]

    @cached_property
    def tokens_indices(self) -> list[int]:  # type: ignore[override]
        return [token.idx for token in self.tokens]

    @cached_property
    def keywords(self) -> list[str]:  # type: ignore[override]
        return NlpArtifacts.set_keywords(self.nlp_engine, self.lemmas, self._language)

    def to_json(self) -> str:
        """Presidio's JSON (decision-process logs) with the lazy lists made and without the private language."""
        _ = (self.lemmas, self.tokens_indices, self.keywords)
        saved = self.__dict__.pop("_language")
        try:
            return super().to_json()
        finally:
            self._language = saved


_NAME_PARTICLES = frozenset(
    {"de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du", "des", "la", "le", "les"}
    | {"van", "von", "vom", "zu", "y", "e", "al", "el", "bin", "ibn", "st", "mc"}
)
"""Parts of a requester's name that are ordinary words in many languages; never redacted alone."""


class _DropPresidioDebug(logging.Filter):
    """Presidio's DEBUG records quote the text around matches (context words); they must not leave."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


def _guard_presidio_logs() -> None:
    presidio_logger = logging.getLogger("presidio-analyzer")
    if not any(isinstance(f, _DropPresidioDebug) for f in presidio_logger.filters):
        presidio_logger.addFilter(_DropPresidioDebug())


class _OfflineSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine that loads an installed package or path and never downloads."""

    windowed = True
    """NER only on windows around possible name words (`ner_windows`); off when NER dates are wanted."""

    def load(self) -> None:
        loaded = {}
        for model in self.models:
            nlp = spacy.load(model["model_name"], exclude=list(_SPACY_EXCLUDE))
            loaded[model["lang_code"]] = nlp
        self.nlp = loaded  # type: ignore[assignment]  # Presidio declares the attribute as None
        model_name = self.models[0]["model_name"]
        self._may_name = name_word_test(lowercase_given_names(), name_words(), _english_word_test(model_name))

    def process_batch(  # type: ignore[override]
        self, texts: Sequence[str], language: str, batch_size: int = 1, n_process: int = 1, as_tuples: bool = False
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        """Like Presidio's, but NER reads only texts that may hold a name (`ner_gate`), and of those only the
        windows around possible name words (`ner_windows`); every text is tokenized."""
        if as_tuples:
            raise ValueError("as_tuples is not supported")
        nlp = self.nlp[language]  # type: ignore[index]
        texts = [str(t) for t in texts]
        docs = [nlp.make_doc(t) for t in texts]
        jobs = [(i, a, doc if (a, b) == (0, len(doc)) else doc[a:b].as_doc())
                for i, doc in enumerate(docs) for a, b in self._ner_ranges(doc)]
        ran = nlp.pipe([part for _, _, part in jobs], batch_size=batch_size, n_process=n_process)
        read_whole = {i for i, _, part in jobs if part is docs[i]}
        windows: dict[int, list[tuple[int, Doc]]] = {}
        for (i, a, _), done in zip(jobs, ran, strict=True):
            if i in read_whole:  # annotated in place, or a copy when spaCy ran it in another process
                docs[i] = done
            else:
                windows.setdefault(i, []).append((a, done))
        for i, doc in enumerate(docs):
            if i not in read_whole:
                put_back(doc, windows.get(i, []))
            yield texts[i], self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return _LazyArtifacts(doc, entities, scores, self, language)

    def _ner_ranges(self, doc: Doc) -> list[tuple[int, int]]:
        if not may_hold_name(doc.text, lowercase_given_names()):
            return []
        return name_windows(doc, self._may_name) if self.windowed else [(0, len(doc))]


@dataclass(slots=True)
class _Span:
    field: str
    entity: str
    start: int
    end: int
    score: float


class _TenantRules:
    """A tenant's compiled settings: what to keep, its own patterns, its vault."""

    def __init__(self, config: TenantPiiConfig, vault: PiiVault | None) -> None:
        self.config = config
        self.vault = vault
        self.allow = {a.casefold() for a in config.allow_list}
        self.allow_patterns = [re.compile(p) for p in config.allow_patterns]
        self.disabled = set(config.disabled_entities)
        self.patterns = [(p.name, p.compiled(), p.score) for p in config.patterns]
        self.own_types = {p.name for p in config.patterns}

    def keeps(self, text: str, span: _Span) -> bool:
        """False when the tenant allows this value, disabled its type, or it is an id that only looks like PII."""
        value = text[span.start : span.end]
        if span.entity in self.disabled or value.casefold() in self.allow:
            return False
        if any(p.fullmatch(value) for p in self.allow_patterns):
            return False
        if span.entity in self.own_types:
            return True
        return not (self.config.suppress_lookalikes and is_lookalike(text, span.start, span.end, span.entity))


@dataclass(slots=True)
class _KnownValue:
    pattern: re.Pattern[str]
    entity: str
    score: float
    alias: str  # placeholder key shared by the full name and its parts


def _as_read(text: str) -> str:
    """The text as spaCy and the name rules read it: English lines in capitals re-cased (`shouting.py`)."""
    return recase_shouting(text, lowercase_given_names(), other_languages_function_words())


def _english_word_test(model: str) -> Callable[[str], bool]:
    words = english_words(model)
    return lambda w: is_english_word(w, words)


def build_analyzer(config: PiiConfig) -> AnalyzerEngine:
    """A Presidio analyzer with only the recognizers that pay off on tickets, fully offline."""
    wanted = set(config.entities)
    ner_entities = [e for e in NER_ENTITIES if e in wanted]
    nlp_engine = _OfflineSpacyNlpEngine(
        models=[{"lang_code": LANGUAGE, "model_name": config.spacy_model}],
        ner_model_configuration=NerModelConfiguration(
            labels_to_ignore=[
                lbl for lbl in ("ORGANIZATION", "NRP", "LOCATION", "DATE_TIME") if lbl not in ner_entities
            ]
            + ["CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY", "ORDINAL", "PERCENT", "PRODUCT"]
            + ["QUANTITY", "WORK_OF_ART", "FAC"],
        ),
    )
    nlp_engine.load()
    nlp_engine.windowed = "DATE_TIME" not in ner_entities  # dates need no capitalised word near them
    recognizers: list[EntityRecognizer] = [  # Presidio's, behind a digit / "@" trigger (`gating.py`)
        GatedEmailRecognizer(),
        GatedIpRecognizer(),
        GatedUsSsnRecognizer(),
        GatedCryptoRecognizer(),
        GatedUsPassportRecognizer(),
        GatedUsLicenseRecognizer(),
        CardNumberRecognizer(),
        IbanChecksumRecognizer(),
        PhoneNumberRecognizer(regions=config.phone_regions),
        SecretRecognizer(),
        AddressRecognizer(),
        AddressBlockRecognizer(_english_word_test(config.spacy_model)),
        InlineAddressRecognizer(_english_word_test(config.spacy_model)),
        IndianAddressRecognizer(),
        LabelledPostcodeBlockRecognizer(),
        ScriptAddressRecognizer(),
        UnitRecognizer(),
        ContextPhoneRecognizer(),
        LabelledIdRecognizer(),
        TableColumnRecognizer(),
    ]
    if config.name_lexicon and "PERSON" in wanted:
        recognizers += [NameRecognizer(is_word=_english_word_test(config.spacy_model),
                                       everyday_words=words_beyond_nouns(config.spacy_model)),
                        ScriptNameRecognizer()]
        if config.unknown_word_names:
            recognizers.append(UnknownWordNameRecognizer(config.spacy_model))
    if ner_entities:
        recognizers.append(FilteredSpacyRecognizer(config.spacy_model, supported_entities=ner_entities))
    recognizers = [r for r in recognizers if wanted & set(r.supported_entities)]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[LANGUAGE])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE],
                          context_aware_enhancer=_ContextWhereNeeded())


class _ContextWhereNeeded(LemmaContextAwareEnhancer):
    """Presidio's context step, given only the results of recognizers that have context words.

    The step deep-copies every result before looking at it (0.2-0.4 ms a text here); the project's recognizers
    weigh their own context, so their results are passed through untouched."""

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult], nlp_artifacts: NlpArtifacts,
                              recognizers: list[EntityRecognizer], context: list[str] | None = None,
                              ) -> list[RecognizerResult]:
        with_context = {r.id for r in recognizers if getattr(r, "context", None)}

        def needs(result: RecognizerResult) -> bool:
            meta = result.recognition_metadata or {}
            return meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY) in with_context

        todo = [r for r in raw_results if needs(r)]
        rest = [r for r in raw_results if not needs(r)]
        if not todo and not context:
            return rest
        return super().enhance_using_context(text, todo, nlp_artifacts, recognizers, context) + rest

    @staticmethod
    def _find_index_of_match_token(word: str, start: int, tokens: Any, tokens_indices: list[int]) -> int:
        """Presidio's lookup of the token at `start`, by bisection: Presidio walks every token for every result, so a
        20,000-character body with thousands of number-like results ("1 x1 1 x1 …") took over a minute."""
        global _TOKEN_ENDS
        cached = _TOKEN_ENDS  # one read: another thread may swap it
        if cached[0] is not tokens_indices:
            cached = (tokens_indices, [i + len(t) for i, t in zip(tokens_indices, tokens, strict=False)])
            _TOKEN_ENDS = cached
        ends = cached[1]
        i = bisect.bisect_right(ends, start)  # the first token that ends after `start` (or starts at it)
        if i > 0 and tokens_indices[i - 1] == start:
            i -= 1  # an empty token at `start`
        if i >= len(ends):
            raise ValueError(f"Did not find word '{word}' in the list of tokens although it is expected to be found")
        return i


_TOKEN_ENDS: tuple[list[int] | None, list[int]] = (None, [])
"""The token ends of the last text looked up: one text's results are enhanced one after another."""


def _custom_field_name(key: str) -> str:
    """`custom_fields.<key>`, shortened with a hash when the key would exceed PiiSpan.field's 64 chars."""
    name = f"custom_fields.{key}"
    if len(name) <= 64:
        return name
    return f"custom_fields.{key[:40]}~{hashlib.sha1(key.encode()).hexdigest()[:9]}"


def _bounded(body: str) -> str:
    return rf"(?<!\w){body}(?!\w)"


def _known_values(event: TicketEvent, min_part: int) -> list[_KnownValue]:
    """Patterns for the requester's own name, email and phone, which may appear anywhere in the text."""
    req = event.requester
    if req is None:
        return []
    out: list[_KnownValue] = []
    if req.email and "@" in req.email:
        pat = re.compile(_bounded(re.escape(req.email.strip())), re.IGNORECASE)
        out.append(_KnownValue(pat, "EMAIL_ADDRESS", 1.0, f"EMAIL_ADDRESS:{req.email.strip().casefold()}"))
    if req.name:
        parts = [p for p in re.split(r"[\s,]+", req.name.strip()) if p]
        alias = "PERSON:" + " ".join(p.casefold() for p in parts)
        if len(parts) > 1:
            full = r"[\s,]+".join(re.escape(p) for p in parts)
            out.append(_KnownValue(re.compile(_bounded(full), re.IGNORECASE), "PERSON", 1.0, alias))
        for part in parts:
            letters = sum(ch.isalpha() for ch in part)
            if letters < min_part or part.casefold().strip(".") in _NAME_PARTICLES:
                continue
            part = part.strip(".,")
            pat = re.compile(_bounded(re.escape(part)), re.IGNORECASE)
            out.append(_KnownValue(pat, "PERSON", 0.95, alias))
    if req.phone:
        digits = re.sub(r"\D", "", req.phone)
        if req.phone.strip().startswith("+") or req.phone.strip().startswith("00"):
            # Drop the country code loosely: keep the last 9 digits as the identifying part.
            core = digits[-9:]
        else:
            core = digits.lstrip("0")
        if len(core) >= 6:
            sep = r"[\s\-./()]*"
            body = r"(?:(?:\+|00)\d{1,3}" + sep + r"(?:\(0\)" + sep + r")?|0" + sep + r")?"
            body += r"\d{0,3}" + sep if len(core) == 9 and len(digits) > 9 else ""
            body += sep.join(re.escape(d) for d in core)
            pat = re.compile(rf"(?<![\w+]){body}(?!\d)")
            out.append(_KnownValue(pat, "PHONE_NUMBER", 1.0, f"PHONE_NUMBER:{core[-9:]}"))
    return out


def _resolve_overlaps(spans: list[_Span]) -> list[_Span]:
    """Merge overlapping spans of one field into one span covering all of them.

    Redaction must not leave half an entity behind, so the union is redacted. Its type is that of a
    span covering the whole union (the longer one: an email wins over a name inside it), else that
    of the highest-scoring span (a partial overlap).
    """
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[_Span] = []
    cluster: list[_Span] = []

    def flush() -> None:
        if not cluster:
            return
        start = min(s.start for s in cluster)
        end = max(s.end for s in cluster)
        covering = [s for s in cluster if s.start == start and s.end == end]
        best = max(covering or cluster, key=lambda s: (s.score, s.end - s.start))
        merged.append(_Span(best.field, best.entity, start, end, best.score))
        cluster.clear()

    cluster_end = -1  # kept as it grows: a max over the cluster for every span is quadratic in long clusters
    for span in spans:
        if cluster and span.start >= cluster_end:
            flush()
            cluster_end = -1
        cluster.append(span)
        cluster_end = max(cluster_end, span.end)
    flush()
    return merged


class PiiStage:
    """Redacts PII from subject, body and string custom fields; drops the requester's contact data.

    Constructed once (loads the spaCy model, a few seconds); `process` is safe to call per batch.
    """

    name = "pii"

    def __init__(self, config: PiiConfig | None = None, tenants: Mapping[str, TenantPiiConfig] | None = None) -> None:
        self.config = config or PiiConfig()
        _guard_presidio_logs()
        self.analyzer = build_analyzer(self.config)
        self._entities = list(self.config.entities)
        self._is_word = _english_word_test(self.config.spacy_model)
        lexicon = frozenset(n.casefold() for n in first_names() | surnames())
        self._is_name = lambda w: w.casefold() in lexicon
        default = TenantPiiConfig(allow_list=self.config.allow_list, placeholder_mode=self.config.placeholder_mode)
        self._default = _TenantRules(default, None)
        self._tenants = {
            tenant: _TenantRules(cfg, PiiVault(tenant, cfg.vault) if cfg.vault.enabled else None)
            for tenant, cfg in (tenants or {}).items()
        }

    def rules_for(self, tenant_id: str) -> _TenantRules:
        return self._tenants.get(tenant_id, self._default)

    def process(self, batch: Sequence[TicketEvent]) -> list[Ok[RedactedTicket] | Failed]:
        """One outcome per event, in order; a failing event gives `Failed` without its text."""
        jobs: list[tuple[int, str, str]] = []  # (event index, field, text)
        for i, event in enumerate(batch):
            for field, text in self._texts(event):
                jobs.append((i, field, text))
        artifacts = self._nlp([_as_read(text) for _, _, text in jobs])

        per_event: list[list[tuple[str, str, NlpArtifacts | BaseException]]] = [[] for _ in batch]
        for (i, field, text), art in zip(jobs, artifacts, strict=True):
            per_event[i].append((field, text, art))

        out: list[Ok[RedactedTicket] | Failed] = []
        for event, fields in zip(batch, per_event, strict=True):
            try:
                out.append(Ok(self._redact_event(event, fields)))
            except Exception as exc:
                # Never str(exc): messages of regex / model errors may quote the ticket text.
                logger.warning(
                    "pii redaction failed",
                    extra={
                        "tenant_id": getattr(event, "tenant_id", None),
                        "ticket_id": getattr(event, "ticket_id", None),
                        "event_id": getattr(event, "event_id", None),
                        "error_type": type(exc).__name__,
                    },
                )
                out.append(
                    Failed(
                        reason=f"PII redaction failed with {type(exc).__name__}",
                        error_type=type(exc).__name__,
                    )
                )
        return out

    @staticmethod
    def _texts(event: TicketEvent) -> list[tuple[str, str]]:
        texts = [("subject", event.subject), ("body", event.body)]
        texts += [(_custom_field_name(k), v) for k, v in event.custom_fields.items() if isinstance(v, str)]
        return [(f, t) for f, t in texts if t]

    def _nlp(self, texts: list[str]) -> list[NlpArtifacts | BaseException]:
        """spaCy over all texts of the batch with nlp.pipe; on a batch error, text by text to isolate it."""
        engine = self.analyzer.nlp_engine
        try:
            return [a for _, a in engine.process_batch(texts, LANGUAGE, batch_size=self.config.batch_size)]
        except Exception:
            logger.warning("spaCy batch failed; retrying text by text", extra={"texts": len(texts)})
        results: list[NlpArtifacts | BaseException] = []
        for text in texts:
            try:
                results.append(engine.process_text(text, LANGUAGE))
            except Exception as exc:
                results.append(exc)
        return results

    def _detect(
        self, field: str, text: str, art: NlpArtifacts, known: list[_KnownValue], rules: _TenantRules,
        keep_placeholders: bool = False,
    ) -> list[_Span]:
        seen = _as_read(text)  # what spaCy read; as long as `text`
        found: list[RecognizerResult] = []
        for variant in (text, seen) if seen is not text else (text,):  # secrets and codes keep their capitals
            found += self.analyzer.analyze(
                text=variant,
                language=LANGUAGE,
                entities=self._entities,
                nlp_artifacts=art,
                score_threshold=self.config.score_threshold,
            )
        spans = [_Span(field, r.entity_type, r.start, r.end, float(r.score)) for r in found]
        for kv in known:
            spans += [_Span(field, kv.entity, m.start(), m.end(), kv.score) for m in kv.pattern.finditer(text)]
        for name, pattern, score in rules.patterns:
            spans += [
                _Span(field, name, m.start(), m.end(), score) for m in pattern.finditer(text) if m.end() > m.start()
            ]
        for s in spans:
            if s.entity == "PHONE_NUMBER":  # "030 1234567 10" of "030 1234567 10:30": the number without the time
                trimmed = trim_date_time(text, s.start, s.end)
                if trimmed != (s.start, s.end) and main_digits(text[trimmed[0] : trimmed[1]]) < 7:
                    trimmed = (s.start, s.start)  # "6.1234" of "2024.05.06.1234": what is left is no phone number
                s.start, s.end = trimmed
            elif s.entity == "PERSON":
                s.start, s.end = trim_recased_name(text, seen, s.start, s.end, self._is_word, self._is_name)
                s.end = hyphenated_given_name_end(seen, s.start, s.end, self._is_word)
        spans = [s for s in spans if s.end > s.start and rules.keeps(text, s)
                 and not (s.entity == "PERSON" and word_not_a_name(seen, s.start, s.end, self._is_word))]
        persons = [(s.start, s.end) for s in spans if s.entity == "PERSON"]
        addresses = [(s.start, s.end) for s in spans if s.entity == "STREET_ADDRESS"]
        if "PERSON" not in rules.disabled:
            more = chat_names(seen, self._is_word) if ":" in seen else []
            if persons or addresses:
                more += repeated_parts(seen, persons, self._is_word) + adjacent_name_words(seen, persons, self._is_word)
                more += name_line_above(seen, addresses)
                more += chat_speakers(seen, persons)
            parts = [_Span(field, "PERSON", a, b, NAME_PART_SCORE) for a, b in more]
            spans += [s for s in parts if rules.keeps(text, s)]
        if persons and "PHONE_NUMBER" in self._entities:  # `keeps` drops it where a tenant disabled phone numbers
            by_names = [_Span(field, "PHONE_NUMBER", a, b, NAME_PART_SCORE) for a, b in numbers_by_names(text, persons)]
            spans += [s for s in by_names if rules.keeps(text, s)]
        again = [_Span(field, e, a, b, score) for a, b, e, score
                 in repeated_values(text, [(s.start, s.end, s.entity, s.score) for s in spans])]
        spans += [s for s in again if rules.keeps(text, s)]
        if keep_placeholders:  # text redacted before (a replay from ClickHouse): its tokens stay as they are
            tokens = token_spans(text)
            spans = [s for s in spans if not inside_placeholder(tokens, s.start, s.end)]
        return _resolve_overlaps(spans)

    def _redact_event(
        self, event: TicketEvent, fields: list[tuple[str, str, NlpArtifacts | BaseException]]
    ) -> RedactedTicket:
        known: list[_KnownValue] = []
        if self.config.redact_known_values:
            known = _known_values(event, self.config.min_name_part_chars)
        rules = self.rules_for(event.tenant_id)
        redactor = TicketRedactor(event.ticket_id, rules.config, rules.vault)
        placeholders = redactor.placeholders
        replayed = event.replay is not None
        if replayed:  # new placeholders must not reuse a number the (already redacted) text has
            placeholders.counts.update(numbers_in_use(text for _, text, _ in fields))
        aliases: dict[tuple[str, int, int], str] = {}
        detected: list[tuple[str, str, list[_Span]]] = []
        for field, text, art in fields:
            if isinstance(art, BaseException):
                raise art
            spans = self._detect(field, text, art, known, rules, keep_placeholders=replayed)
            for kv in known:
                for m in kv.pattern.finditer(text):
                    aliases[(field, m.start(), m.end())] = kv.alias
            detected.append((field, text, spans))
        for kv in known:
            if kv.entity == "PERSON":
                placeholders.alias_person(kv.alias, kv.alias.split(":", 1)[1])
        # The requester, when they appear, is <PERSON_1> / <EMAIL_ADDRESS_1> / <PHONE_NUMBER_1>.
        for requester_key in dict.fromkeys(aliases.values()):
            placeholders.get(requester_key.split(":", 1)[0], "", requester_key)

        redacted: dict[str, str] = {}
        pii_spans: list[PiiSpan] = []
        for field, text, spans in detected:
            pieces: list[str] = []
            pos = 0
            for s in spans:
                repl, ph = redactor.replace(s.entity, text[s.start : s.end], aliases.get((field, s.start, s.end)))
                pieces += [text[pos : s.start], repl]
                pos = s.end
                pii_spans.append(
                    PiiSpan(
                        field=field,
                        entity_type=s.entity,
                        start=s.start,
                        end=s.end,
                        score=round(min(1.0, max(0.0, s.score)), 4),
                        placeholder=ph,
                    )
                )
            pieces.append(text[pos:])
            redacted[field] = "".join(pieces)

        custom = {
            k: redacted.get(_custom_field_name(k), v) if isinstance(v, str) else v
            for k, v in event.custom_fields.items()
        }
        data = event.model_dump(exclude={"requester", "subject", "body", "custom_fields", "raw_attributes"})
        return RedactedTicket(
            **data,
            subject=redacted.get("subject", event.subject),
            body=redacted.get("body", event.body),
            custom_fields=custom,
            requester_id=event.requester.id if event.requester else None,
            pii_spans=pii_spans,
        )
