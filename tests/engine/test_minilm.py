"""The numpy MiniLM encoder: the shapes DIET needs, meaning it captures, the same vectors as TensorFlow,
and the upstream model's weights."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from bot.components.minilm import FILE_SHA256, HIDDEN, MiniLM, model_dir

GOLDEN = Path(__file__).with_name("golden_minilm.npz")  # made by scripts/golden_minilm.py


@pytest.fixture(scope="module")
def model() -> MiniLM:
    return MiniLM()


def test_one_vector_per_word_and_a_unit_sentence_vector(model: MiniLM) -> None:
    words, sentence = model.encode_words(["my", "dad", "hurts", "me"])
    assert words.shape == (4, HIDDEN)
    assert sentence.shape == (1, HIDDEN)
    assert np.isclose(np.linalg.norm(sentence), 1.0, atol=1e-5)


def test_similar_worries_are_closer_than_unrelated_questions(model: MiniLM) -> None:
    def vec(text: str) -> np.ndarray:
        return model.encode_words(text.split())[1][0]

    hurt = vec("my stepdad hits me")
    assert hurt @ vec("he beats me at home") > hurt @ vec("what is the capital of france")


def test_a_very_long_message_is_encoded_in_windows(model: MiniLM) -> None:
    words, _ = model.encode_words(["word"] * 700)
    assert words.shape == (700, HIDDEN)
    assert np.isfinite(words).all()


def test_vectors_match_tensorflow_bert(model: MiniLM) -> None:
    """Hugging Face's TFBertModel over the same weights and word pieces. Measured: sentence vectors (unit
    length) within 1.6e-7, word vectors (values up to 2.3) within 2.0e-6; float32 rounding either way."""
    golden = np.load(GOLDEN)
    encoded = [model.encode_words(text.split()) for text in golden["texts"]]
    sentences = np.concatenate([sentence for _, sentence in encoded])
    assert np.abs(sentences - golden["sentence"]).max() <= 2e-6
    words = np.concatenate([w for w, _ in encoded])[: len(golden["words"])]
    assert np.abs(words - golden["words"]).max() <= 5e-6


def test_weights_are_the_upstream_model() -> None:
    for name, expected in FILE_SHA256.items():
        assert hashlib.sha256((model_dir() / name).read_bytes()).hexdigest() == expected, name
