"""The safety screen on its own: signals, kinds of harm, who is writing, language.
Messages here are written for these tests; none comes from the acceptance cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.components.safety_screen import Routing
from bot.components.screen import DATA, EXCLUDE, SIGNALS, Screen, load_patterns

PATTERNS = load_patterns()
OTHER_SIDE = {"speaker:child": "adult", "speaker:adult": "child"}


@pytest.fixture(scope="module")
def screen() -> Screen:
    return Screen()


@pytest.fixture(scope="module")
def routing() -> Routing:
    return Routing.load()


@pytest.mark.parametrize(
    ("label", "example"),
    [
        pytest.param(label, example, id=f"{label} [{pattern.phrase}] {example[:40]}")
        for label, pattern in PATTERNS.items()
        for example in pattern.examples
    ],
)
def test_every_pattern_fires_on_each_of_its_examples(screen: Screen, label: str, example: str) -> None:
    """Each example in bot/safety/*.yml fires its own pattern, not just some pattern
    of the same signal, and reaches the result: the signal is raised (not cancelled
    by an exclusion), the kind of harm is named, the exclusion cancels what it lists,
    the speaker cue does not leave the message read as the other side."""
    pattern = PATTERNS[label]
    where = f"{label} {pattern.phrase!r} on {example!r}"
    assert label in screen.matched(example), f"{where}: the pattern does not fire"
    result = screen.analyse(example)
    if pattern.group in SIGNALS:
        assert pattern.group in result.signals, f"{where}: fires but the signal is cancelled"
    elif pattern.group.startswith("harm:"):
        assert pattern.group.removeprefix("harm:") in result.harms, f"{where}: the kind of harm is not named"
    elif pattern.group == EXCLUDE:
        assert result.banter, f"{where}: not taken for an everyday phrase"
        assert not set(pattern.cancels) & result.signals, (
            f"{where}: still raises {set(pattern.cancels) & result.signals}"
        )
    else:
        assert result.speaker != OTHER_SIDE[pattern.group], f"{where}: read as the other side"


def test_every_pattern_carries_an_example() -> None:
    assert PATTERNS and all(pattern.examples for pattern in PATTERNS.values())


@pytest.mark.parametrize("name", ["signals.yml", "exclusions.yml", "speaker.yml"])
def test_a_pattern_without_examples_is_refused(tmp_path: Path, name: str) -> None:
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    path = tmp_path / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data if name == "exclusions.yml" else data["danger" if name == "signals.yml" else "child"]
    del entries[0]["examples"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match="examples"):
        load_patterns(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "my step dad has a knife and hes shouting that hes going to hurt mum",
        "theres someone banging on our door saying theyll kill us, im hiding in the bathroom",
        "a baby in the creche has gone limp and isnt breathing properly",
        "the boy in my group has just been stabbed outside the youth club",
        "dad left us on our own 4 days ago and theres no food",
    ],
)
def test_danger_is_found_in_plain_and_messy_words(screen: Screen, text: str) -> None:
    assert {"danger", "danger_word"} & screen.analyse(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "we absolutely murdered them at football tonight 😂",
        "lol im dead that video is so funny",
        "gonna cut my hair short tomorrow, scared it will look bad",
        "my mum will kill me if im late again haha",
        "what should I do if a child is not in danger but I am worried?",
    ],
)
def test_everyday_slang_raises_no_danger(screen: Screen, text: str) -> None:
    assert not {"danger", "danger_word"} & screen.analyse(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "my uncle tuches me when nobody is home and says its our special game",
        "he puts his hand down my pants when mum is at work",
        "she hits me with a belt and locks me in my room",
        "they make me carry stuff for them and say i owe them money",
    ],
)
def test_a_disclosure_without_abuse_words_is_found(screen: Screen, text: str) -> None:
    assert "disclosure" in screen.analyse(text).signals


def test_a_disclosure_buried_at_the_end_of_a_long_message_is_found(screen: Screen) -> None:
    filler = "We have the sports day next week and the forms are due in and the minibus needs booking. " * 12
    result = screen.analyse(filler + "Also one girl said her dad hits her with a belt when he is drunk.")
    assert "disclosure" in result.signals


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("promise u wont tell any1", "secrecy"),
        ("can this stay between you and me", "secrecy"),
        ("i keep cutting my arms when everyone is asleep", "self_harm"),
        ("i have a rope round the banister and i want to end it tonight", "suicide_risk"),
    ],
)
def test_secrecy_self_harm_and_suicide_risk_are_told_apart(screen: Screen, text: str, signal: str) -> None:
    assert signal in screen.analyse(text).signals


@pytest.mark.parametrize(
    ("text", "harm"),
    [
        ("a girl in year 9 says she is going abroad in the summer for a special procedure to become a woman", "fgm"),
        ("he is watching videos about a race war and says its his duty to fight", "radicalisation"),
        ("the lad had three phones and a lot of cash and said he has to deliver packages for them", "county_lines"),
        ("her parents took her passport and say she will marry her cousin", "forced_marriage"),
    ],
)
def test_kinds_of_harm_that_have_their_own_route_are_named(screen: Screen, text: str, harm: str) -> None:
    assert harm in screen.analyse(text).harms


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("a 12 year old in my class told me her brother hurts her", "adult"),
        ("im 13 and my dad shouts at me all the time", "child"),
        # The adult's word "teacher" inside a child's "my teacher" doesn't count for an adult.
        ("my teacher grabbed my arm really hard", "child"),
        ("my swimming coach sends me messages at night", "child"),
        ("my daughter's swimming coach sends her messages at night", "adult"),
        # A child's words quoted by an adult don't say a child is writing, nor does a quoted age.
        ("a girl in my group wrote 'i'm 12 and my mum's boyfriend hurts me' on a post-it", "adult"),
        ("im 14 and my stepdad keeps saying 'you're old enough now'", "child"),
    ],
)
def test_who_is_writing_is_read_from_the_words(screen: Screen, text: str, speaker: str) -> None:
    assert screen.analyse(text).speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "mi padre me pega cuando está borracho y tengo miedo de volver a casa",
        "mój tata mnie bije i boję się wracać do domu",
        "أبي يضربني كل يوم وأنا خائف",
    ],
)
def test_messages_in_other_languages_are_recognised(screen: Screen, text: str) -> None:
    assert screen.analyse(text).non_english


@pytest.mark.parametrize("text", ["promise u wont tell", "ok", "????", "im 15 wot do i do", "hi"])
def test_text_speak_is_not_taken_for_another_language(screen: Screen, text: str) -> None:
    assert not screen.analyse(text).non_english


def test_danger_overrules_an_unsure_or_mild_intent(screen: Screen, routing: Routing) -> None:
    result = screen.analyse("im hiding in the cupboard and he says hes going to kill us")
    # Nothing says who is writing, so the answer covers a child and an adult alike.
    assert routing.decide(["greet"], result) == "immediate_danger"
    assert routing.decide(["nlu_fallback"], result) == "immediate_danger"
    assert routing.decide(["child_disclosure"], result) == "child_danger"


def test_a_more_specific_intent_of_equal_seriousness_stands(screen: Screen, routing: Routing) -> None:
    result = screen.analyse("one of our volunteers touched a girl's chest at camp, she told me")
    assert routing.decide(["allegation_against_staff"], result) == "allegation_against_staff"


def test_a_disclosure_the_classifier_missed_still_gets_the_disclosure_answer(screen: Screen, routing: Routing) -> None:
    result = screen.analyse("my brother makes me touch him when mum goes out")
    assert routing.decide(["out_of_scope"], result) == "child_disclosure"


def test_another_language_always_gets_the_plain_english_safety_answer(screen: Screen, routing: Routing) -> None:
    result = screen.analyse("mi padrastro me pega y tengo miedo")
    assert routing.decide(["child_disclosure"], result) == "non_english"


def test_a_named_kind_of_harm_reaches_the_safety_answer_when_the_classifier_is_unsure(
    screen: Screen, routing: Routing
) -> None:
    result = screen.analyse("a year 9 boy at our club has a new phone, wads of cash and a man picks him up in a car")
    assert routing.decide(["nlu_fallback", "staff_signs"], result) == "staff_signs"


def test_asking_to_warn_the_family_first_gets_the_do_not_tip_off_answer(screen: Screen, routing: Routing) -> None:
    result = screen.analyse("could i give his dad a quick heads up before i pass it on")
    assert routing.decide(["nlu_fallback"], result) == "ask_contact_family"


def test_banter_is_answered_as_banter_only_when_nothing_else_is_there(screen: Screen, routing: Routing) -> None:
    joke = screen.analyse("my mum will kill me if im late lol")
    assert routing.decide(["child_danger", "chitchat_banter"], joke) == "chitchat_banter"
    real = screen.analyse("lol im literally dead, but my stepdad is outside with a knife")
    assert routing.decide(["child_danger", "chitchat_banter"], real) == "child_danger"


def test_a_stated_age_of_eighteen_or_more_is_an_adult(screen: Screen) -> None:
    assert screen.analyse("im 19 and my uncle did stuff to me when i was little").speaker == "adult"
    assert screen.analyse("im 14 and my uncle does stuff to me").speaker == "child"


def test_a_child_describing_harm_gets_the_child_answer_whatever_the_classifier_guessed(
    screen: Screen, routing: Routing
) -> None:
    result = screen.analyse("im 12 and my cousin makes me touch him when we stay over")
    assert routing.decide(["allegation_against_staff", "child_disclosure"], result) == "child_disclosure"


def test_an_unsure_reading_of_a_possible_concern_gets_the_safe_answer_not_didnt_follow(
    screen: Screen, routing: Routing
) -> None:
    plain = screen.analyse("the thing at the weekend")
    assert routing.decide(["nlu_fallback", "greet", "child_disclosure"], plain) == "unclear_concern"
    assert routing.decide(["nlu_fallback", "greet", "thank", "goodbye"], plain) == "nlu_fallback"


def test_saying_nobody_is_in_danger_is_not_an_emergency(screen: Screen, routing: Routing) -> None:
    for answer in ("no, not in immediate danger", "nobody's hurt, she's safe now"):
        result = screen.analyse(answer)
        assert "calm" in result.signals
        assert routing.decide(["staff_danger"], result) == "staff_disclosure"
    still = screen.analyse("she's not in danger now but he's outside the house with a knife")
    assert routing.decide(["staff_danger"], still) == "staff_danger"


def test_only_a_very_sure_everyday_reading_beats_the_screen(screen: Screen, routing: Routing) -> None:
    lesson = screen.analyse("planning a year 9 lesson on county lines and grooming, any ideas?")
    assert routing.decide(["teaching_or_media"], lesson, [0.95]) == "teaching_or_media"
    # Between 0.5 and 0.9 the classifier has read real concerns as banter (scripts/calibrate.py):
    # an answer that allows both readings, without 999.
    assert routing.decide(["teaching_or_media"], lesson, [0.8]) == "everyday_or_concern"
    assert routing.decide(["teaching_or_media"], lesson, [0.3]) not in ("teaching_or_media", "everyday_or_concern")
    game = screen.analyse("rematch tomorrow, im gonna kill him")
    assert "danger" in game.signals
    assert routing.decide(["chitchat_banter"], game, [0.99]) == "chitchat_banter"
    # A danger phrase stands unless the everyday reading is very sure.
    assert routing.decide(["chitchat_banter"], game, [0.8]) == "immediate_danger"


def test_everyday_readings_split_between_banter_and_a_lesson_add_up(screen: Screen, routing: Routing) -> None:
    # One everyday reading split in two is not two unsure ones: the answer allowing both, no 999.
    game = screen.analyse("year 3 played jail at lunch and locked their mate in the shed for ten minutes 😂")
    assert "danger_word" in game.signals
    split = ["chitchat_banter", "teaching_or_media", "staff_signs"]
    assert routing.decide(split, game, [0.45, 0.4, 0.1]) == "everyday_or_concern"
    # A danger phrase still stands, however the everyday reading is split.
    threat = screen.analyse("rematch tomorrow, im gonna kill him")
    assert routing.urgent(routing.decide(split, threat, [0.45, 0.4, 0.1]))
    # Alone, an unsure everyday reading is still taken as unsure.
    assert routing.decide(["chitchat_banter", "staff_signs"], game, [0.45, 0.3]) != "everyday_or_concern"


def test_two_questions_of_procedure_too_close_to_call_get_the_best_answer(screen: Screen, routing: Routing) -> None:
    notes = screen.analyse("do I put in the log that I think he exaggerates?")
    close = ["nlu_fallback", "ask_what_to_record", "ask_investigate"]
    assert routing.decide(close, notes, [0.35, 0.47, 0.44]) == "ask_what_to_record"
    # Below the fallback threshold, or with a guess of another kind, it stays unsure.
    assert routing.decide(close, notes, [0.35, 0.3, 0.28]) != "ask_what_to_record"
    mixed = ["nlu_fallback", "ask_what_to_record", "faq_what_is_lado"]
    assert routing.decide(mixed, notes, [0.35, 0.47, 0.44]) != "ask_what_to_record"


def test_a_weak_guess_at_a_concern_beats_the_answer_for_both_sides(screen: Screen, routing: Routing) -> None:
    plain = screen.analyse("our coach has a conviction under another name")
    ranking = ["nlu_fallback", "allegation_against_staff", "staff_signs"]
    assert routing.decide(ranking, plain, [0.35, 0.3, 0.2]) == "allegation_against_staff"
    assert routing.decide(ranking, plain, [0.35, 0.1, 0.08]) == "unclear_concern"


def test_unsure_small_talk_is_taken_as_a_follow_up(screen: Screen, routing: Routing) -> None:
    plain = screen.analyse("he is still down to coach tonight")
    assert routing.decide(["goodbye", "allegation_against_staff"], plain, [0.4, 0.3]) == "unclear_concern"
    assert routing.decide(["goodbye"], screen.analyse("bye then"), [0.9]) == "goodbye"


def test_inside_a_concern_an_everyday_reading_must_be_sure_to_be_small_talk(screen: Screen, routing: Routing) -> None:
    worry = screen.analyse("my whole family would stop talking to me over this")
    banter = ["chitchat_banter", "out_of_scope", "child_secrecy_request"]
    # Read alone it is banter; after someone has told of abuse long ago, it is a follow-up.
    assert routing.decide(banter, worry, [0.7, 0.1, 0.1]) == "chitchat_banter"
    assert routing.decide(banter, worry, [0.7, 0.1, 0.1], "historical", 10) in ("nlu_fallback", "unclear_concern")
    # Sure small talk stays small talk, and after everyday talk nothing changes.
    assert routing.decide(banter, worry, [0.95, 0.02, 0.01], "historical", 10) == "chitchat_banter"
    assert routing.decide(banter, worry, [0.7, 0.1, 0.1], "everyday", 10) == "chitchat_banter"
    # Thanks and goodbyes keep their own answers.
    assert routing.decide(["thank"], screen.analyse("ok thanks"), [0.7], "historical", 2) == "thank"


def test_a_weak_cue_to_the_writer_that_agrees_with_the_conversation_counts_as_stated(
    screen: Screen, routing: Routing
) -> None:
    bruise = screen.analyse("she showed me a mark on her leg this morning")
    assert bruise.speaker == "adult" and not routing.says_writer(bruise)
    ranking = ["child_disclosure", "staff_disclosure"]
    # Alone, the weak cue leaves the classifier's reading; in a parent's conversation it is the adult's answer.
    assert routing.decide(ranking, bruise, [0.7, 0.2]) == "child_disclosure"
    assert routing.decide(ranking, bruise, [0.7, 0.2], "parent", 9) == "staff_disclosure"


def test_a_danger_word_in_a_confident_everyday_reading_is_not_an_emergency(screen: Screen, routing: Routing) -> None:
    play = screen.analyse("we're doing a play with a stabbing in act two, is it ok for year 8?")
    assert "danger_word" in play.signals
    assert routing.decide(["teaching_or_media"], play, [0.95]) == "teaching_or_media"
    real = screen.analyse("my brother has just been stabbed")
    assert routing.decide(["teaching_or_media"], real, [0.3]) != "teaching_or_media"


def test_a_short_message_in_another_language_is_recognised(screen: Screen) -> None:
    assert screen.analyse("on ma nóż").non_english
    assert not screen.analyse("café later?").non_english


def test_abuse_told_as_happening_now_is_not_answered_as_historical(screen: Screen, routing: Routing) -> None:
    now = screen.analyse("my mentee sent me a voice note crying, older lads are making her sell stuff for them")
    assert routing.decide(["historical_abuse"], now) == "staff_disclosure"
    then = screen.analyse("im 26 now, a swimming coach abused me when i was 12 and he still runs a club")
    assert routing.decide(["historical_abuse"], then) == "historical_abuse"


def test_a_secrecy_request_in_banter_is_still_answered_honestly(screen: Screen, routing: Routing) -> None:
    result = screen.analyse("pretend youre my mate and mates never snitch ok")
    assert "secrecy" in result.signals
    assert routing.decide(["chitchat_banter"], result, [0.9]) == "child_secrecy_request"


def test_an_unsure_short_follow_up_stays_within_the_conversations_topic(screen: Screen, routing: Routing) -> None:
    after_boundaries = screen.analyse("her dad said it was fine by him")
    # Read alone, a weak guess at a child's disclosure; after a question about boundaries, a follow-up.
    assert routing.decide(["child_disclosure"], after_boundaries, [0.4]) == "child_disclosure"
    assert routing.decide(["child_disclosure"], after_boundaries, [0.4], "boundaries", 7) == "nlu_fallback"
    # A confident reading, a long message with its own subject, or something the screen finds, stands.
    assert routing.decide(["child_disclosure"], after_boundaries, [0.9], "boundaries", 7) == "child_disclosure"
    assert routing.decide(["staff_signs"], after_boundaries, [0.4], "boundaries", 30) == "staff_signs"
    hit = screen.analyse("he hit her again last night")
    assert routing.decide(["child_disclosure"], hit, [0.4], "boundaries", 6) != "nlu_fallback"


def test_urgent_readings_the_screen_backs_stand_and_concerns_after_small_talk_get_their_routes(
    screen: Screen, routing: Routing
) -> None:
    plain = screen.analyse("she is outside the door now")
    # Unsure and not backed by the screen, within a concern's topic: the unsure answer's topic
    # variant, which names 999 too.
    assert routing.decide(["staff_danger"], plain, [0.4], "boundaries", 6) == "unclear_concern"
    assert routing.decide(["staff_danger"], plain, [0.7], "boundaries", 6) == "staff_danger"
    backed = screen.analyse("he's outside our house now with a knife")
    assert routing.decide(["staff_danger"], backed, [0.4], "staff", 8) == "staff_danger"
    # After small talk, an unsure concern with nothing from the screen: the routes, without alarm.
    assert routing.decide(["child_disclosure"], plain, [0.4], "everyday", 6) == "everyday_or_concern"
    unsure = ["nlu_fallback", "child_disclosure"]
    assert routing.decide(unsure, plain, [0.35, 0.3], "everyday", 6) == "everyday_or_concern"
    # After a general question, it gets its answer.
    assert routing.decide(["child_disclosure"], plain, [0.4], "question", 6) == "child_disclosure"


def test_an_unsure_urgent_guess_in_a_concerns_topic_is_answered_within_it(screen: Screen, routing: Routing) -> None:
    plain = screen.analyse("bit late for that, i did it last month")
    ranking = ["nlu_fallback", "child_suicidal"]
    # The unsure answer, which within a topic gives the topic's steps (999 among them).
    assert routing.decide(ranking, plain, [0.35, 0.25], "boundaries", 8) == "unclear_concern"
    assert routing.decide(ranking, plain, [0.35, 0.25]) == "child_suicidal"
    # Backed by the screen, it stands.
    backed = screen.analyse("bit late, i've taken all the pills already")
    assert routing.decide(ranking, backed, [0.35, 0.25], "boundaries", 8) == "child_suicidal"


def test_the_conversations_topic_says_who_is_writing(screen: Screen, routing: Routing) -> None:
    plain = screen.analyse("should i just pay him")
    assert routing.topic_side("child_online") == "child" and routing.topic_side("staff") == "adult"
    assert routing.topic_side("question") is None
    # A child never gets an adult's next-step answer: within their topic they get its answer again.
    assert routing.decide(["ask_contact_family"], plain, [0.7], "child_online", 4) == "nlu_fallback"
    assert routing.decide(["ask_contact_family"], plain, [0.7], None, 4, "child") == "unclear_concern"
    assert routing.decide(["ask_contact_family"], plain, [0.7], "staff", 4) == "ask_contact_family"


def test_unsure_with_an_everyday_best_guess_gets_the_answer_allowing_both(screen: Screen, routing: Routing) -> None:
    match = screen.analyse("our keeper was on fire today, then went over on her ankle, ice or heat?")
    ranking = ["nlu_fallback", "chitchat_banter", "staff_danger", "teaching_or_media"]
    assert routing.decide(ranking, match, [0.35, 0.3, 0.25, 0.2]) == "everyday_or_concern"
    # Within a concern's topic it is a follow-up; with a screen signal, the safe answer for both sides.
    assert routing.decide(ranking, match, [0.35, 0.3, 0.25, 0.2], "staff", 14) != "everyday_or_concern"
    knife = screen.analyse("he had a knife at the match today")
    assert routing.decide(ranking, knife, [0.35, 0.3, 0.25, 0.2]) in ("staff_danger", "immediate_danger")


def test_after_everyday_talk_an_unsure_concern_gets_the_answer_allowing_both(screen: Screen, routing: Routing) -> None:
    plain = screen.analyse("should i just go to a hairdresser then")
    unsure = ["nlu_fallback", "child_self_harm"]
    assert routing.decide(unsure, plain, [0.35, 0.3], "everyday", 7) == "everyday_or_concern"
    assert routing.decide(["child_self_harm"], plain, [0.5], "everyday", 7) == "everyday_or_concern"
    # A sure reading, urgent or not, or anything the screen finds, stands.
    assert routing.decide(["child_self_harm"], plain, [0.8], "everyday", 7) == "child_self_harm"
    assert routing.decide(["child_suicidal"], plain, [0.5], "everyday", 7) == "everyday_or_concern"
    assert routing.decide(["child_suicidal"], plain, [0.7], "everyday", 7) == "child_suicidal"
    real = screen.analyse("he hit me again last night")
    assert routing.decide(["child_disclosure"], real, [0.5], "everyday", 6) == "child_disclosure"


def test_an_everyday_guess_is_answered_as_such_not_as_not_understood(screen: Screen, routing: Routing) -> None:
    plain = screen.analyse("can u do my geography homework on rivers")
    ranking = ["nlu_fallback", "out_of_scope", "teaching_or_media"]
    assert routing.decide(ranking, plain, [0.35, 0.3, 0.25]) == "out_of_scope"
    # Within a concern's topic it is a follow-up, answered in the topic.
    assert routing.decide(ranking, plain, [0.35, 0.3, 0.25], "staff", 7) == "nlu_fallback"


def test_who_said_they_were_writing_holds_for_the_conversation(screen: Screen, routing: Routing) -> None:
    said = screen.analyse("scout leader here, quick one")
    assert routing.says_writer(said) == "adult"
    assert routing.says_writer(screen.analyse("ok thanks")) is None
    quoted = screen.analyse("she typed 'please dont tell anyone' then logged off")
    assert routing.decide(["child_secrecy_request"], quoted, [0.8], None, 8, "adult") == "staff_secrecy"
    assert routing.decide(["child_secrecy_request"], quoted, [0.8]) == "child_secrecy_request"


def test_once_help_is_on_its_way_the_next_steps_replace_call_999(screen: Screen, routing: Routing) -> None:
    coming = screen.analyse("ok the ambulance is coming now, what else do i do")
    assert "handled" in coming.signals
    assert routing.decide(["staff_danger"], coming, [0.8]) == "emergency_handled"
    # Asked to keep it from the family: the honest answer about secrecy is the more serious one.
    secret = screen.analyse("ambulance is on the way and she's begging me not to tell her dad")
    assert routing.decide(["staff_danger"], secret, [0.8]) == "staff_secrecy"
    # The screen's own danger signal keeps 999 first.
    still = screen.analyse("police are coming but he's still got the knife and he's stabbing the door")
    assert routing.decide(["staff_danger"], still, [0.8]) == "staff_danger"
    # Read as a child's danger: the adult's next steps only when an adult said they were writing;
    # a conversation merely answered for an adult may be a child's, and a child keeps their answer.
    assert routing.decide(["child_danger"], coming, [0.8], "staff", 9, "adult") == "emergency_handled"
    assert routing.decide(["child_danger"], coming, [0.8], "staff", 9) == "child_danger"
    assert routing.decide(["child_danger"], coming, [0.8]) == "child_danger"


def test_an_unsure_urgent_guess_after_a_question_needs_the_screens_backing(screen: Screen, routing: Routing) -> None:
    plain = screen.analyse("and do i ring them myself or does someone do it for me")
    unsure = ["nlu_fallback", "child_suicidal", "child_online_harm"]
    assert routing.decide(unsure, plain, [0.35, 0.25, 0.15], "question", 12) == "unclear_concern"
    # A first message keeps the guess; so does one the screen backs.
    assert routing.decide(unsure, plain, [0.35, 0.25, 0.15]) == "child_suicidal"
    backed = screen.analyse("i want to end it all tonight")
    assert routing.decide(unsure, backed, [0.35, 0.25, 0.15], "question", 7) == "child_suicidal"


def test_a_young_adults_own_self_harm_gets_the_support_answer(screen: Screen, routing: Routing) -> None:
    own = screen.analyse("i'm 22 and i've been cutting myself again")
    assert own.speaker == "adult" and "about_self" in own.signals
    assert routing.decide(["staff_signs"], own, [0.5]) == "child_self_harm"
    assert routing.decide(["child_self_harm"], own, [0.9]) == "child_self_harm"
    pupil = screen.analyse("one of my pupils has been cutting her arms")
    assert routing.decide(["staff_signs"], pupil, [0.9]) == "staff_signs"


def test_a_reading_for_the_other_side_stays_within_an_adults_conversation(screen: Screen, routing: Routing) -> None:
    long = screen.analyse("she is a lovely colleague and i trust her, she was only having a bad week, must i really?")
    # Sixteen words, but read, unsure, as a child's worry in a conversation answered for an adult.
    assert routing.decide(["child_worried_about_other"], long, [0.45], "allegation", 16) == "nlu_fallback"
    # A child saying so, or a sure reading, stands.
    child = screen.analyse("im 13 and my best friend keeps crying in class, must i really tell someone?")
    assert routing.decide(["child_worried_about_other"], child, [0.45], "allegation", 16) == "child_worried_about_other"
    assert routing.decide(["child_worried_about_other"], long, [0.8], "allegation", 16) == "child_worried_about_other"


def test_a_laughed_off_unsure_concern_gets_the_answer_allowing_both(screen: Screen, routing: Routing) -> None:
    joke = screen.analyse("my cousin totally destroyed me at paintball today lol")
    assert "playful" in joke.signals
    assert routing.decide(["child_disclosure"], joke, [0.45]) == "everyday_or_concern"
    assert routing.decide(["nlu_fallback", "staff_danger"], joke, [0.35, 0.3]) == "everyday_or_concern"
    # Sure, inside a concern's conversation, or with something the screen finds: it stands.
    assert routing.decide(["child_disclosure"], joke, [0.8]) == "child_disclosure"
    assert routing.decide(["child_disclosure"], joke, [0.45], "child", 12) == "child_disclosure"
    # A laugh doesn't make a reading of the writer's own self-harm a joke.
    assert routing.decide(["child_self_harm"], joke, [0.45]) == "child_self_harm"
    real = screen.analyse("lol my stepdad hits me with his belt when hes drunk")
    assert routing.decide(["child_disclosure"], real, [0.45]) == "child_disclosure"


def test_the_answer_allowing_both_readings_opens_the_everyday_topic(routing: Routing) -> None:
    assert routing.topics[routing.hedge_intent] == "everyday"
    assert "everyday" in routing.hedge_topics


def test_after_small_talk_an_unsure_message_with_a_concern_among_the_guesses_gets_both_readings(
    screen: Screen, routing: Routing
) -> None:
    plain = screen.analyse("ok and another thing, my tutor keeps texting me late and says its our thing")
    unsure = ["nlu_fallback", "ask_boundaries", "child_online_harm", "staff_secrecy"]
    assert routing.decide(unsure, plain, [0.35, 0.3, 0.25, 0.2], "everyday", 16) == "everyday_or_concern"
    # Without a topic it is the safe answer for both sides; with a screen signal too.
    assert routing.decide(unsure, plain, [0.35, 0.3, 0.25, 0.2]) == "unclear_concern"
    secret = screen.analyse("ok and another thing, he made me promise not to tell anyone")
    assert routing.decide(unsure, secret, [0.35, 0.3, 0.25, 0.2], "everyday", 12) != "everyday_or_concern"


def test_a_childs_disclosure_of_abuse_online_gets_the_online_answer(screen: Screen, routing: Routing) -> None:
    online = screen.analyse("this man from snapchat keeps asking me to send pics and says hell tell everyone")
    assert "online" in online.harms
    assert routing.decide(["child_disclosure"], online, [0.7]) == "child_online_harm"
    offline = screen.analyse("my uncle touches me when mum goes out")
    assert routing.decide(["child_disclosure"], offline, [0.7]) == "child_disclosure"


def test_unsure_guesses_of_one_kind_add_up(screen: Screen, routing: Routing) -> None:
    plain = screen.analyse("our trustee takes two of the teenagers out for dinner on his own")
    split = ["nlu_fallback", "allegation_against_staff", "parent_concern_about_worker", "concern_about_dsl"]
    # 0.18 alone is below accept_guess_above; with its topic's other reading, 0.35 is not.
    assert routing.decide(split, plain, [0.35, 0.18, 0.17, 0.14]) == "allegation_against_staff"
    scattered = ["nlu_fallback", "allegation_against_staff", "child_self_harm", "staff_signs"]
    assert routing.decide(scattered, plain, [0.35, 0.18, 0.17, 0.14]) == "unclear_concern"
