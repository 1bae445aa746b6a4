"""The safety screen: rule-based matching over word lemmas, text-speak and common
misspellings, raising danger, suicide-risk, self-harm, disclosure and secrecy
signals and naming kinds of harm. Patterns are data (bot/safety/*.yml); this
module holds only the matching. It does not depend on Rasa, so it is tested alone."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import langid
import spacy
import spacy_lookups_data
import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

DATA = Path(__file__).resolve().parent.parent / "safety"
SIGNALS = ("danger", "suicide_risk", "self_harm", "disclosure", "secrecy", "tip_off", "calm")
NUM = "<num>"
ADULT_AGE = 18
GAPS = {"*": 2, "**": 5}
# A word this common in English text (log probability) counts as English.
ENGLISH_LOGPROB = -12.5
# A word at least this common is taken as spelled as meant, never "corrected".
KNOWN_LOGPROB = -16.0


@dataclass(frozen=True)
class ScreenResult:
    signals: frozenset[str]
    harms: tuple[str, ...]
    speaker: str  # "child", "adult" or "unknown"
    speaker_lead: int
    non_english: bool
    # An everyday phrase that only sounds alarming was found (and cancelled what it overlapped).
    banter: bool = False


def _english_logprobs() -> dict[str, float]:
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path) as fh:
        return {w: p for w, p in json.load(fh).items() if p > KNOWN_LOGPROB}


class Screen:
    def __init__(self, data_dir: Path = DATA) -> None:
        self.data_dir = data_dir
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        self.nlp.initialize()
        self.lemmas = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self.logprob = _english_logprobs()
        self.rewrites = self._compile_rewrites(self._load("normalise.yml"))
        self.matcher = Matcher(self.nlp.vocab)
        self.vocabulary: set[str] = set()
        signals = self._load("signals.yml")
        for signal in SIGNALS:
            self._add(signal, signals.get(signal, []))
        # Listed most specific first: the first kind named picks the route.
        self.harm_order = tuple(signals.get("harm", {}))
        for harm, phrases in signals.get("harm", {}).items():
            self._add(f"harm:{harm}", phrases)
        self.exclusions: dict[str, list[str]] = {}
        for i, rule in enumerate(self._load("exclusions.yml")):
            self._add(f"exclude:{i}", [rule["phrase"]])
            self.exclusions[f"exclude:{i}"] = rule["cancels"]
        speaker = self._load("speaker.yml")
        self.margin = int(speaker["margin"])
        self.weights: dict[str, tuple[str, int]] = {}
        for side in ("child", "adult"):
            for i, cue in enumerate(speaker[side]):
                label = f"speaker:{side}:{i}"
                self._add(label, [cue["phrase"]])
                self.weights[label] = (side, int(cue.get("weight", 1)))
        langid.classify("warm up")  # loads langid's model now, not on the first message
        self._fuzzy_choices = sorted(w for w in self.vocabulary if len(w) >= 4 and w.isalpha())

    def _load(self, name: str) -> object:
        return yaml.safe_load((self.data_dir / name).read_text(encoding="utf-8"))

    # -- compiling patterns -------------------------------------------------
    @staticmethod
    def _compile_rewrites(table: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
        rules = [
            (re.compile(r"\b(\d+)\s*(?:yo|y/o|y\.o\.?|yrs? old|yr old)(?![\w])", re.I), r"\1 year old"),
            (re.compile(r"\b(?:y|yr)\s?(\d{1,2})\b", re.I), r"year \1"),
        ]
        for src, dst in table.items():
            rules.append((re.compile(rf"(?<![\w']){re.escape(str(src))}(?![\w'])", re.I), str(dst)))
        return rules

    def _keys(self, text: str) -> list[str]:
        return [self._key(t) for t in self.nlp(self._normalise(text))]

    def _key(self, token: Token) -> str:
        if token.like_num:
            return NUM
        return (token.lemma_ or token.text).lower()

    def _add(self, label: str, phrases: list[str]) -> None:
        patterns = []
        for phrase in phrases:
            slots: list[list[tuple[str, ...]] | int] = []
            for part in str(phrase).split():
                if part in GAPS:
                    slots.append(GAPS[part])
                    continue
                alts = []
                for alt in part.split("|"):
                    if alt == NUM:
                        alts.append((NUM,))
                        continue
                    keys = tuple(self._keys(alt))
                    self.vocabulary.update(t.lower() for t in self._normalise(alt).split())
                    alts.append(keys)
                slots.append(alts)
            patterns.extend(self._expand(slots))
        self.matcher.add(label, patterns)

    @staticmethod
    def _expand(slots: list) -> list[list[dict]]:
        """Turn slots into Matcher patterns; a multi-token alternative needs its own pattern."""
        choices = []
        for slot in slots:
            if isinstance(slot, int):
                choices.append([[{"OP": "?"}] * slot])
                continue
            single = sorted({a[0] for a in slot if len(a) == 1})
            options = [[{"NORM": {"IN": single}}]] if single else []
            options += [[{"NORM": k} for k in a] for a in slot if len(a) > 1]
            choices.append(options)
        return [[tok for part in combo for tok in part] for combo in itertools.product(*choices)]

    # -- analysing a message ------------------------------------------------
    def _normalise(self, text: str) -> str:
        text = text.replace("’", "'").replace("‘", "'")
        for rx, dst in self.rewrites:
            text = rx.sub(dst, text)
        return text.lower()

    def _doc(self, text: str) -> Doc:
        doc = self.nlp(self._normalise(text))
        for token in doc:
            word = token.text
            if word.isalpha() and len(word) >= 4 and word not in self.logprob and word not in self.vocabulary:
                cutoff = 2 if len(word) >= 8 else 1
                best = process.extractOne(word, self._fuzzy_choices, scorer=Levenshtein.distance, score_cutoff=cutoff)
                if best:
                    word = best[0]
                    token.norm_ = self.lemmas.get(word, word).lower()
                    continue
            token.norm_ = self._key(token)
        return doc

    def _non_english(self, text: str, doc: Doc) -> bool:
        letters = [c for c in text if c.isalpha()]
        if letters and sum(c.isascii() or "\u00c0" <= c <= "\u024f" for c in letters) / len(letters) < 0.5:
            return True  # mostly a non-Latin script
        words = [t.text for t in doc if t.is_alpha]
        if len(words) < 4:
            return False
        english = sum(self.logprob.get(w, -99) > ENGLISH_LOGPROB for w in words) / len(words)
        lang, _ = langid.classify(text)
        return lang != "en" and english < 0.6

    @staticmethod
    def _stated_age(doc: Doc) -> int | None:
        """The writer's own age, from "I'm 15" / "I am 15" / "im 15"."""
        for i, token in enumerate(doc[:-1]):
            if token.lower_ in ("'m", "am") and i > 0 and doc[i - 1].lower_ == "i" and doc[i + 1].like_num:
                try:
                    return int(doc[i + 1].text)
                except ValueError:
                    return None
        return None

    def analyse(self, text: str) -> ScreenResult:
        doc = self._doc(text)
        matches = [(self.nlp.vocab.strings[m_id], start, end) for m_id, start, end in self.matcher(doc)]
        labels = {label for label, _, _ in matches}
        # An exclusion cancels only the matches it overlaps: "lol I'm literally dead"
        # must not hide "he's outside with a knife" elsewhere in the same message.
        cancelled = [
            (set(self.exclusions[label]), start, end) for label, start, end in matches if label in self.exclusions
        ]
        signals = {
            label
            for label, start, end in matches
            if label in SIGNALS
            and not any(label in cancels and start < c_end and c_start < end for cancels, c_start, c_end in cancelled)
        }
        harms = tuple(h for h in self.harm_order if f"harm:{h}" in labels)
        score = {"child": 0, "adult": 0}
        for label in labels:
            if label in self.weights:
                side, weight = self.weights[label]
                score[side] += weight
        age = self._stated_age(doc)
        if age is not None and age >= ADULT_AGE:
            score["adult"] += score.pop("child") + 2
            score["child"] = 0
        lead = abs(score["child"] - score["adult"])
        speaker = "unknown" if lead < self.margin else max(score, key=score.__getitem__)
        return ScreenResult(
            frozenset(signals), harms, speaker, lead, self._non_english(text, doc), banter=bool(cancelled)
        )
