"""Rasa pipeline component: screens every message, whatever the dialogue state,
and lets the screen overrule the intent classifier when it finds something more
serious. Runs after the classifiers and the fallback classifier, so a message the
classifier is unsure of still reaches the safety answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.screen import DATA, Screen, ScreenResult
from bot.context import CONTEXT_KEY

CONFIDENCE = "confidence"


URGENT = ("danger", "danger_word", "suicide_risk")
# The signals that can change the answer (the others qualify it: calm, handled, past...).
RAISING = (*URGENT, "disclosure", "self_harm", "secrecy", "tip_off")
# The entities the screen sets (slots of the same names, bot/domain/core.yml).
OWN_ENTITIES = ("harm", "screen", "topic", "writer")


@dataclass(frozen=True)
class Routing:
    rank: dict[str, int]
    signals: dict[str, dict[str, str]]
    child_intents: frozenset[str]
    adult_intents: frozenset[str]
    counterparts: dict[str, str]
    override_margin: int
    banter_intent: str
    banter_within_top: int
    unclear_intent: str
    unclear_within_top: int
    accept_guess_above: float
    procedure: frozenset[str]
    procedure_above: float
    small_talk: frozenset[str]
    small_talk_below: float
    concerning: frozenset[str]
    everyday_intents: frozenset[str]
    everyday_confidence: float
    everyday_never_yields: frozenset[str]
    hedge_from: float
    hedge_intent: str
    stands_in_hedge: frozenset[str]
    hedge_topics: frozenset[str]
    everyday_guesses: frozenset[str]
    adult_only: frozenset[str]
    calm: dict[str, str]
    harm_answers: dict[str, dict[str, str]]
    handled: dict[str, str]
    topics: dict[str, str]
    historical_intent: str
    historical_otherwise: dict[str, str]
    keep_topic_below: float
    holding_topics: frozenset[str]
    follow_up_words: int
    own_signals: frozenset[str]
    own_intents: frozenset[str]

    @classmethod
    def load(cls, data_dir: Path = DATA) -> Routing:
        raw = yaml.safe_load((data_dir / "routing.yml").read_text(encoding="utf-8"))
        speaker = yaml.safe_load((data_dir / "speaker.yml").read_text(encoding="utf-8"))
        return cls(
            rank=raw["rank"],
            signals=raw["signals"],
            child_intents=frozenset(raw["child_intents"]),
            adult_intents=frozenset(raw["adult_intents"]),
            counterparts=raw["counterparts"],
            override_margin=int(speaker["override_margin"]),
            banter_intent=raw["banter"]["intent"],
            banter_within_top=int(raw["banter"]["within_top"]),
            unclear_intent=raw["unclear"]["intent"],
            unclear_within_top=int(raw["unclear"]["within_top"]),
            accept_guess_above=float(raw["unclear"]["accept_guess_above"]),
            procedure=frozenset(raw["unclear"]["procedure"]),
            procedure_above=float(raw["unclear"]["procedure_above"]),
            small_talk=frozenset(raw["unclear"]["small_talk"]),
            small_talk_below=float(raw["unclear"]["small_talk_below"]),
            concerning=frozenset(raw["unclear"]["concerning"]),
            everyday_intents=frozenset(raw["everyday"]["intents"]),
            everyday_confidence=float(raw["everyday"]["min_confidence"]),
            everyday_never_yields=frozenset(raw["everyday"]["never_yields"]),
            hedge_from=float(raw["everyday"]["hedge_from"]),
            hedge_intent=raw["everyday"]["hedge"],
            stands_in_hedge=frozenset(raw["everyday"]["stands_in_hedge"]),
            hedge_topics=frozenset(raw["everyday"]["hedge_topics"]),
            everyday_guesses=frozenset(raw["unclear"]["everyday_guesses"]),
            adult_only=frozenset(raw["adult_only"]),
            calm=raw["calm"],
            harm_answers=raw["harm_answers"],
            handled=raw["handled"],
            topics=raw["topics"],
            historical_intent=raw["historical"]["intent"],
            historical_otherwise=raw["historical"]["otherwise"],
            keep_topic_below=float(raw["context"]["keep_topic_below"]),
            holding_topics=frozenset(raw["context"]["holding_topics"]),
            follow_up_words=int(raw["context"]["follow_up_words"]),
            own_signals=frozenset(raw["about_self"]["signals"]),
            own_intents=frozenset(raw["about_self"]["intents"]),
        )

    def rank_of(self, intent: str) -> int:
        return self.rank.get(intent, 10)

    def urgent(self, intent: str) -> bool:
        """An answer that sends for the emergency services at once (danger, suicide)."""
        return self.rank_of(intent) >= self.rank_of("immediate_danger")

    def side(self, intent: str) -> str | None:
        if intent in self.child_intents:
            return "child"
        if intent in self.adult_intents:
            return "adult"
        return None

    def topic_side(self, topic: str | None) -> str | None:
        """Who the conversation's topic was answered for: the side of the intents that open it."""
        sides = {self.side(intent) for intent, opened in self.topics.items() if opened == topic} - {None}
        return sides.pop() if len(sides) == 1 else None

    def writer(
        self, ranking: list[str], screen: ScreenResult, known: str | None = None, topic: str | None = None
    ) -> str:
        """Who is writing: a cue from the words, else who the conversation said was
        writing, else whom its topic was answered for, else the classifier's best guess."""
        if screen.speaker != "unknown":
            return screen.speaker
        return known or self.topic_side(topic) or next((s for s in map(self.side, ranking[:3]) if s), "unknown")

    def says_writer(self, screen: ScreenResult) -> str | None:
        """The writer a message states clearly enough to hold for the conversation."""
        return screen.speaker if screen.speaker != "unknown" and screen.speaker_lead >= self.override_margin else None

    def strays(self, intent: str, confidence: float, topic: str | None, words: int, speaker: str = "unknown") -> bool:
        """A message the classifier isn't sure of, that the screen found nothing of concern
        in, read as leaving the conversation's topic for another: more likely a follow-up
        within the topic. Short, unless the reading is for the other side than the one the
        topic was answered for and nothing in the message says that side is writing."""
        opens = self.topics.get(intent)
        side = self.side(intent)
        crosses = side is not None and side != speaker and self.topic_side(topic) not in (None, side)
        return (
            topic in self.holding_topics
            and opens is not None
            and opens != topic
            and confidence < self.keep_topic_below
            and (words <= self.follow_up_words or crosses)
        )

    def more_of_the_same(self, intent: str, confidence: float, topic: str | None, words: int) -> bool:
        """A short follow-up to everyday talk that the classifier reads, unsure, as a concern."""
        return (
            topic in self.hedge_topics
            and intent in self.concerning
            and words <= self.follow_up_words
            and confidence < self.keep_topic_below
        )

    def laughed_off(
        self,
        intent: str,
        confidence: float,
        ranking: list[str],
        screen: ScreenResult,
        raised: list[str],
        topic: str | None,
    ) -> bool:
        """A laugh or a retraction ("lol", "jk", "(not really)"), nothing of concern found by
        the screen, and a concern reading the classifier isn't sure of, outside a concern's
        conversation: the answer allowing both readings."""
        reading = ranking[1] if intent == "nlu_fallback" and len(ranking) > 1 else intent
        return (
            "playful" in screen.signals
            and not raised
            and topic not in self.holding_topics
            and reading in self.concerning
            # Young people often laugh off their own self-harm ("lol im fine"): that reading stands.
            and reading not in self.own_intents
            and confidence < self.keep_topic_below
        )

    def _topic_support(self, ranking: list[str], confidences: list[float]) -> float:
        """How far the classifier's guesses (after the fallback) agree with its best one: their
        confidences summed over the first few that open the same topic. Several readings of one
        kind ("about someone who works with children") split what is one reading of it."""
        opens = self.topics.get(ranking[1])
        guesses = slice(1, 1 + self.unclear_within_top)
        return sum(
            c
            for r, c in zip(ranking[guesses], confidences[guesses], strict=False)
            if r == ranking[1] or (opens is not None and self.topics.get(r) == opens)
        )

    def _support(self, ranking: list[str], confidences: list[float]) -> float:
        """How sure the classifier is of its best reading. An everyday one sums the everyday
        readings among its first few guesses: a joke read half as banter and half as a lesson
        is one everyday reading, not two unsure ones."""
        if ranking[0] not in self.everyday_intents:
            return confidences[0]
        top = slice(0, self.unclear_within_top)
        return sum(c for r, c in zip(ranking[top], confidences[top], strict=False) if r in self.everyday_intents)

    def _small_talk_below(self, intent: str, topic: str | None) -> float:
        """How sure a small-talk reading must be to be answered as small talk. Inside a concern's
        conversation an everyday reading (banter, a lesson, out of scope) must be as sure as it must
        be to beat the screen: there it is likelier a follow-up the classifier read alone."""
        if topic in self.holding_topics and intent in self.everyday_intents | self.everyday_guesses:
            return self.everyday_confidence
        return self.small_talk_below

    def decide(
        self,
        ranking: list[str],
        screen: ScreenResult,
        confidences: list[float] | None = None,
        topic: str | None = None,
        words: int = 0,
        known_writer: str | None = None,
    ) -> str:
        """The intent to answer, from the classifier's ranking (best first, with its
        confidences where known), the screen, and the conversation so far (its topic,
        who is writing, and the message's length in words)."""
        confidences = confidences or [1.0] * len(ranking)
        intent = ranking[0] if ranking else "nlu_fallback"
        confidence = confidences[0] if confidences else 1.0
        if screen.non_english:
            return "non_english"
        raised = [s for s in RAISING if s in screen.signals]
        if screen.harms:
            raised.append("harm")
        if intent == "nlu_fallback" and len(ranking) > 1:
            guess, guessed = ranking[1], confidences[1] if len(confidences) > 1 else 0.0
            if not raised and self.more_of_the_same(guess, guessed, topic, words):
                return self.hedge_intent
            if (
                (
                    guess in self.concerning
                    and self._topic_support(ranking, confidences) >= self.accept_guess_above
                    and (raised or not self.strays(guess, guessed, topic, words, screen.speaker))
                    # Once a conversation is under way, an urgent guess needs the screen's backing.
                    and (raised or topic is None or not self.urgent(guess))
                )
                or (
                    # Two questions of procedure too close to call.
                    not raised and guessed >= self.procedure_above and set(ranking[1:3]) <= self.procedure
                )
            ):
                intent, confidence = guess, guessed
                ranking, confidences = ranking[1:], confidences[1:]
            elif (
                guess in self.everyday_guesses
                and guessed >= self.accept_guess_above
                and not raised
                and topic not in self.holding_topics
                and not any(r in self.concerning for r in ranking[1 : 1 + self.unclear_within_top])
            ):
                return guess
        elif intent in self.small_talk and self._support(ranking, confidences) < self._small_talk_below(intent, topic):
            intent, ranking = "nlu_fallback", ["nlu_fallback", *ranking]
        elif not raised and self.strays(intent, confidence, topic, words, screen.speaker):
            # Answered within the topic (the unsure answers' topic variants): an urgent
            # reading with the variant that names 999.
            return self.unclear_intent if self.urgent(intent) else "nlu_fallback"
        elif not raised and self.more_of_the_same(intent, confidence, topic, words):
            return self.hedge_intent
        if self.laughed_off(intent, confidence, ranking, screen, raised, topic):
            return self.hedge_intent
        writer = self.writer(ranking, screen, known_writer, topic)
        urgent = any(s in URGENT for s in raised)
        if intent in self.everyday_intents and confidence >= self.everyday_confidence:
            raised = [s for s in raised if s in self.everyday_never_yields]
        elif (
            intent in self.everyday_intents
            and self._support(ranking, confidences) >= self.hedge_from
            and raised
            and not any(s in self.stands_in_hedge for s in raised)
        ):
            return self.hedge_intent
        if screen.banter and not raised and self.banter_intent in ranking[: self.banter_within_top]:
            return self.banter_intent
        best = intent
        if (
            intent == "nlu_fallback"
            and not raised
            and len(ranking) > 1
            and ranking[1] in self.everyday_intents | self.everyday_guesses
            and topic not in self.holding_topics
        ):
            # Unsure, but an everyday reading is its best guess and the screen found nothing.
            return self.hedge_intent
        if intent == "nlu_fallback" and (
            raised or any(r in self.concerning for r in ranking[1 : 1 + self.unclear_within_top])
        ):
            # After small talk, with nothing from the screen: the routes without the alarm.
            best = self.hedge_intent if not raised and topic in self.hedge_topics else self.unclear_intent
        if best == self.historical_intent and "past" not in screen.signals:
            best = self.historical_otherwise[writer]
        if "calm" in screen.signals and not urgent and best in self.calm:
            best = self.calm[best]
        # Who is writing, stated: clearly in this message, or earlier in the conversation, or by a weaker
        # cue here that agrees with whom the conversation has been answered for (two pieces of evidence).
        stated = (
            self.says_writer(screen)
            or (known_writer if screen.speaker in ("unknown", known_writer) else None)
            or (screen.speaker if screen.speaker != "unknown" and screen.speaker == self.topic_side(topic) else None)
        )
        # A reading as a child's danger becomes the adult's next steps only when an adult said they were writing.
        adults = self.side(best) != "child" or stated == "adult"
        if "handled" in screen.signals and not urgent and best in self.handled and adults:
            best = self.handled[best]
        # The screen's answer replaces the classifier's only when it is more serious:
        # at equal seriousness the classifier's more specific choice stands.
        about_self = "about_self" in screen.signals
        for signal in raised:
            own = about_self and signal in self.own_signals
            proposal = self.signals[signal]["child" if own else writer]
            # The person's own self-harm also beats an equally serious reading as someone else's.
            if proposal and (
                self.rank_of(proposal) > self.rank_of(best)
                or (own and best not in self.own_intents and self.rank_of(proposal) == self.rank_of(best))
            ):
                best = proposal
        if about_self and best in self.own_intents:
            return best
        # A strong cue about who is writing, in this message or earlier in the
        # conversation, overrules the classifier's guess at it.
        if best in self.counterparts and stated and stated != self.side(best):
            best = self.counterparts[best]
        # A kind of harm named in the message that has an answer of its own.
        for harm in screen.harms:
            best = self.harm_answers.get(harm, {}).get(best, best)
        # A conversation answered for a child is evidence enough to spare them an adult's procedure.
        if (stated or self.topic_side(topic)) == "child" and best in self.adult_only:
            best = "nlu_fallback" if self.topic_side(topic) == "child" else self.unclear_intent
        return best


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyScreen(GraphComponent):
    def __init__(self, config: dict[str, Any]) -> None:
        self.screen = Screen()
        self.routing = Routing.load()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyScreen:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._screen(message)
        return messages

    def _screen(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        result = self.screen.analyse(text)
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY) or "nlu_fallback"
        ranking = [name] + [
            r[INTENT_NAME_KEY] for r in message.get(INTENT_RANKING_KEY) or [] if r[INTENT_NAME_KEY] != name
        ]
        confidences = [float(intent.get(CONFIDENCE) or 0.0)] + [
            float(r.get(CONFIDENCE) or 0.0) for r in message.get(INTENT_RANKING_KEY) or [] if r[INTENT_NAME_KEY] != name
        ]
        context = (message.get("metadata") or {}).get(CONTEXT_KEY) or {}
        decided = self.routing.decide(
            ranking, result, confidences, context.get("topic"), len(text.split()), context.get("writer")
        )
        if decided != name:
            message.set(INTENT, {INTENT_NAME_KEY: decided, CONFIDENCE: 1.0}, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != decided]
            message.set(INTENT_RANKING_KEY, [{INTENT_NAME_KEY: decided, CONFIDENCE: 1.0}, *ranking], add_to_output=True)
        # Always set, so the slot it fills describes this message, not an earlier one.
        entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") not in OWN_ENTITIES]
        # The kind of harm holds for the conversation (slot `harm`): only a message naming one sets it.
        if result.harms:
            entities.append(self._entity("harm", result.harms[0]))
        entities.append(self._entity("screen", ",".join(sorted(result.signals)) or "none"))
        # Only a message that opens a topic names one: the slot keeps the last topic.
        if decided in self.routing.topics:
            entities.append(self._entity("topic", self.routing.topics[decided]))
        stated = self.routing.says_writer(result)
        if stated:
            entities.append(self._entity("writer", stated))
        message.set(ENTITIES, entities, add_to_output=True)

    @staticmethod
    def _entity(name: str, value: str) -> dict[str, Any]:
        return {
            "entity": name,
            "value": value,
            "start": 0,
            "end": 0,
            "extractor": "SafetyScreen",
            "confidence_entity": 1.0,
        }
