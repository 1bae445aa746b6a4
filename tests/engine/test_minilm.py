"""The numpy MiniLM encoder: the shapes DIET needs, and meaning it captures."""

from __future__ import annotations

import numpy as np

from bot.components.minilm import HIDDEN, MiniLM


def test_one_vector_per_word_and_a_unit_sentence_vector() -> None:
    words, sentence = MiniLM().encode_words(["my", "dad", "hurts", "me"])
    assert words.shape == (4, HIDDEN)
    assert sentence.shape == (1, HIDDEN)
    assert np.isclose(np.linalg.norm(sentence), 1.0, atol=1e-5)


def test_similar_worries_are_closer_than_unrelated_questions() -> None:
    model = MiniLM()

    def vec(text: str) -> np.ndarray:
        return model.encode_words(text.split())[1][0]

    hurt = vec("my stepdad hits me")
    assert hurt @ vec("he beats me at home") > hurt @ vec("what is the capital of france")


def test_a_very_long_message_is_encoded_in_windows() -> None:
    words, _ = MiniLM().encode_words(["word"] * 700)
    assert words.shape == (700, HIDDEN)
    assert np.isfinite(words).all()
