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
SIGNALS = (
    "danger",
    "danger_word",
    "suicide_risk",
    "self_harm",
    "disclosure",
    "secrecy",
    "tip_off",
    "calm",
    "handled",
    "past",
    "about_self",
    "playful",
)
NUM = "<num>"
ADULT_AGE = 18
GAPS = {"*": 2, "**": 5}
EXCLUDE = "exclude"
SIDES = ("child", "adult")
# A word this common in English text (log probability) counts as English.
ENGLISH_LOGPROB = -12.5
# A word at least this common is taken as spelled as meant, never "corrected".
KNOWN_LOGPROB = -16.0
# Words in quotation marks: "..." or “...”, or '...' opened before a word and closed after one
# (so the apostrophes in "I'm" and "dad's" neither open nor close a quotation).
QUOTED = re.compile(r"[\"“][^\"”]+[\"”]|(?<!\w)['‘](?=\w).+?(?<=[\w.!?,])['’](?!\w)")


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


@dataclass(frozen=True)
class Pattern:
    """One phrase from bot/safety and the messages it must fire on."""

    group: str  # a signal ("danger"), "harm:<kind>", "exclude" or "speaker:<side>"
    phrase: str
    examples: tuple[str, ...]
    cancels: tuple[str, ...] = ()  # exclusions: the signals they cancel
    weight: int = 1  # speaker cues: how much they count for their side


def _entries(group: str, items: object, source: str) -> list[Pattern]:
    if not isinstance(items, list):
        raise ValueError(f"{source}: {group} must be a list of patterns")
    patterns = []
    for item in items:
        if not isinstance(item, dict) or not item.get("phrase"):
            raise ValueError(f"{source}: {group}: each pattern needs a phrase and examples, not {item!r}")
        examples = item.get("examples") or []
        if isinstance(examples, str) or not examples or not all(isinstance(e, str) and e.strip() for e in examples):
            raise ValueError(f"{source}: {group}: {item['phrase']!r} needs a list of examples it fires on")
        patterns.append(
            Pattern(
                group=group,
                phrase=str(item["phrase"]),
                examples=tuple(examples),
                cancels=tuple(item.get("cancels", ())),
                weight=int(item.get("weight", 1)),
            )
        )
    return patterns


def load_patterns(data_dir: Path = DATA) -> dict[str, Pattern]:
    """Every pattern in signals.yml, exclusions.yml and speaker.yml, in file order,
    by label: its group and its place in the group ("danger#0", "harm:fgm#2",
    "exclude#1", "speaker:child#3"). Reads the files only: no spaCy."""

    def load(name: str) -> object:
        return yaml.safe_load((data_dir / name).read_text(encoding="utf-8"))

    groups: list[tuple[str, list[Pattern]]] = []
    signals = load("signals.yml")
    for signal, items in signals.items():
        if signal == "harm":
            groups += [(f"harm:{kind}", _entries(f"harm:{kind}", v, "signals.yml")) for kind, v in items.items()]
        elif signal in SIGNALS:
            groups.append((signal, _entries(signal, items, "signals.yml")))
        else:
            raise ValueError(f"signals.yml: unknown signal {signal!r} (known: {', '.join(SIGNALS)}, harm)")
    rules = _entries(EXCLUDE, load("exclusions.yml"), "exclusions.yml")
    for rule in rules:
        if not rule.cancels or not set(rule.cancels) <= set(SIGNALS):
            raise ValueError(f"exclusions.yml: {rule.phrase!r} must cancel known signals, not {rule.cancels!r}")
    groups.append((EXCLUDE, rules))
    speaker = load("speaker.yml")
    groups += [(f"speaker:{side}", _entries(f"speaker:{side}", speaker[side], "speaker.yml")) for side in SIDES]
    return {f"{group}#{i}": p for group, patterns in groups for i, p in enumerate(patterns)}


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
        # Each pattern is matched under its own label, so a test (or a reviewer asking
        # why a message was flagged) can see which pattern fired.
        self.patterns = load_patterns(data_dir)
        for label, pattern in self.patterns.items():
            self._add(label, [pattern.phrase])
        # Listed most specific first: the first kind named picks the route.
        self.harm_order = tuple(
            dict.fromkeys(p.group.removeprefix("harm:") for p in self.patterns.values() if p.group.startswith("harm:"))
        )
        self.exclusions = {label: p.cancels for label, p in self.patterns.items() if p.group == EXCLUDE}
        self.margin = int(self._load("speaker.yml")["margin"])
        self.weights = {
            label: (p.group.removeprefix("speaker:"), p.weight)
            for label, p in self.patterns.items()
            if p.group.startswith("speaker:")
        }
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
            # "self-harming", "step-dad": a hyphen inside a word reads as a space.
            (re.compile(r"(?<=[a-z])-(?=[a-z])", re.I), " "),
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
            # Too short for the share of English words to mean much: a word with a
            # letter English doesn't use ("nóż", "ayúdame"), and langid agreeing.
            foreign = any(not w.isascii() and w not in self.logprob for w in words)
            return foreign and len(words) >= 2 and langid.classify(text)[0] != "en"
        english = sum(self.logprob.get(w, -99) > ENGLISH_LOGPROB for w in words) / len(words)
        lang, _ = langid.classify(text)
        return lang != "en" and english < 0.6

    @staticmethod
    def _stated_age(doc: Doc, quoted: set[int]) -> int | None:
        """The writer's own age, from "I'm 15" / "I am 15" / "im 15", outside quotation marks."""
        for i, token in enumerate(doc[:-1]):
            if i in quoted:
                continue
            if token.lower_ in ("'m", "am") and i > 0 and doc[i - 1].lower_ == "i" and doc[i + 1].like_num:
                try:
                    return int(doc[i + 1].text)
                except ValueError:
                    return None
        return None

    def _matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        return [(self.nlp.vocab.strings[m_id], start, end) for m_id, start, end in self.matcher(doc)]

    def matched(self, text: str) -> set[str]:
        """Labels of the patterns that fire on text ("danger#0", "harm:fgm#2"), before
        any exclusion cancels them: which patterns a message set off."""
        return {label for label, _, _ in self._matches(self._doc(text))}

    @staticmethod
    def _quoted(doc: Doc) -> set[int]:
        """The tokens inside quotation marks: someone else's words, reported."""
        spans = [m.span() for m in QUOTED.finditer(doc.text)]
        return {t.i for t in doc if any(start < t.idx < end for start, end in spans)}

    def _speaker_cues(self, matches: list[tuple[str, str, int, int]], quoted: set[int]) -> set[str]:
        """The speaker cues that count: none in quotation marks ("she said 'my dad hits me'" is
        an adult reporting a child's words), and none inside a longer cue for the other side
        ("teacher" is an adult's word, but not in a child's "my maths teacher")."""
        cues = [
            (label, start, end)
            for label, _, start, end in matches
            if label in self.weights and not all(i in quoted for i in range(start, end))
        ]
        return {
            label
            for label, start, end in cues
            if not any(
                self.weights[other][0] != self.weights[label][0]
                and o_start <= start
                and end <= o_end
                and o_end - o_start > end - start
                for other, o_start, o_end in cues
            )
        }

    def analyse(self, text: str) -> ScreenResult:
        doc = self._doc(text)
        matches = [(label, self.patterns[label].group, start, end) for label, start, end in self._matches(doc)]
        groups = {group for _, group, _, _ in matches}
        # An exclusion cancels only the matches it overlaps: "lol I'm literally dead"
        # must not hide "he's outside with a knife" elsewhere in the same message.
        cancelled = [
            (set(self.exclusions[label]), start, end) for label, _, start, end in matches if label in self.exclusions
        ]
        signals = {
            group
            for _, group, start, end in matches
            if group in SIGNALS
            and not any(group in cancels and start < c_end and c_start < end for cancels, c_start, c_end in cancelled)
        }
        harms = tuple(h for h in self.harm_order if f"harm:{h}" in groups)
        score = {"child": 0, "adult": 0}
        quoted = self._quoted(doc)
        for label in self._speaker_cues(matches, quoted):
            side, weight = self.weights[label]
            score[side] += weight
        age = self._stated_age(doc, quoted)
        if age is not None and age >= ADULT_AGE:
            score["adult"] += score.pop("child") + 2
            score["child"] = 0
        lead = abs(score["child"] - score["adult"])
        speaker = "unknown" if lead < self.margin else max(score, key=score.__getitem__)
        return ScreenResult(
            frozenset(signals), harms, speaker, lead, self._non_english(text, doc), banter=bool(cancelled)
        )
