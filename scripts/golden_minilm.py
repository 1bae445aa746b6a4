"""Makes tests/engine/golden_minilm.npz: MiniLM sentence and word vectors computed by Hugging Face's
TensorFlow BERT (TFBertModel) over the packaged weights, which tests/engine/test_minilm.py holds the
numpy forward pass (bot/components/minilm.py) to.

transformers is not in the engine's lock (the engine doesn't need it), so put it beside it for this run
only; it is pure Python and uses the engine's TensorFlow, tokenizers and safetensors:

    .venv-app/bin/python -m pip install --target /tmp/hf --no-deps transformers==4.36.2
    PYTHONPATH=/tmp/hf HF_HUB_OFFLINE=1 .venv-engine/bin/python scripts/golden_minilm.py

Both sides get the same sub-word ids (the tokenizer is not under test) and pool the same way (mean over
the word pieces, windows of 256 for long texts, unit length), so the difference is the forward pass alone.
Run it again only when the weights change (their SHA-256 is pinned in bot/components/minilm.py).
"""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.components.minilm import WINDOW, MiniLM, model_dir  # noqa: E402

OUT = ROOT / "tests" / "engine" / "golden_minilm.npz"
WORD_VECTORS_FOR = 3  # the first texts also keep their per-word vectors (all of them would be 0.5 MB)

# Short and long, misspelt and text-speak, other languages and scripts (mostly [UNK] pieces), and one
# message long enough (over 254 word pieces) to be encoded in two windows.
SENTENCES = [
    "my dad hurts me when he's been drinking",
    "one of the kids told me her uncle touches her, what do I do?",
    "me stepdad hit me an i dont wanna go home 2nite",
    "pls dnt tell any1 but im scared of my mums bf",
    "Mój tata mnie bije i boję się wracać do domu",
    "ابي يضربني ولا اريد العودة الى البيت",
    "我爸爸打我，我很害怕",
    "What is a LADO, and when should I call them???",
    "hello",
    " ".join(
        ["I work at a youth club on Tuesdays and a boy of twelve said something tonight that worried me a lot,"]
        + ["he said his older cousin makes him carry packages across town after school and keeps his phone,"] * 12
        + ["and that if he tells anyone they will hurt his little sister, so what should I do now?"]
    ),
]


def encode(tf_model, encoder: MiniLM, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The numpy pass's pooling (MiniLM.encode_words), in float64, over TensorFlow's hidden states."""

    def hidden_states(ids: list[int]) -> np.ndarray:
        return tf_model(np.array([ids], dtype=np.int32)).last_hidden_state[0].numpy().astype(np.float64)

    pieces = encoder.piece_ids(words)
    flat = [i for p in pieces for i in p]
    hidden = np.concatenate(
        [
            hidden_states([encoder.cls_id, *flat[s : s + WINDOW - 2], encoder.sep_id])[1:-1]
            for s in range(0, len(flat), WINDOW - 2)
        ]
    )
    bounds = np.cumsum([0, *map(len, pieces)])
    word_vectors = np.stack([hidden[a:b].mean(0) for a, b in pairwise(bounds)])
    sentence = hidden.mean(0)
    return word_vectors, sentence / np.linalg.norm(sentence)


def load_tf_model():  # -> TFBertModel
    from safetensors.numpy import load_file
    from transformers import BertConfig, TFBertModel
    from transformers.modeling_tf_pytorch_utils import load_pytorch_state_dict_in_tf2_model

    # from_pretrained(from_pt=True) would import PyTorch only to turn its tensors into numpy; the
    # safetensors file reads straight into numpy, and transformers maps the names onto TF variables.
    path = model_dir()
    model = TFBertModel(BertConfig.from_pretrained(str(path)))
    state = {k: v for k, v in load_file(str(path / "model.safetensors")).items() if k != "embeddings.position_ids"}
    model, info = load_pytorch_state_dict_in_tf2_model(model, state, output_loading_info=True)
    if any(info.values()):
        raise SystemExit(f"weights did not map cleanly onto TFBertModel: {info}")
    return model


def main() -> None:
    tf_model = load_tf_model()
    encoder = MiniLM()
    sentences, words = [], []
    for text in SENTENCES:
        w, s = encode(tf_model, encoder, text.split())
        sentences.append(s)
        words.append(w)
    np.savez_compressed(
        OUT,
        texts=np.array(SENTENCES),
        sentence=np.array(sentences, dtype=np.float32),
        words=np.concatenate(words[:WORD_VECTORS_FOR]).astype(np.float32),
    )
    print(f"wrote {OUT.relative_to(ROOT)}: {len(SENTENCES)} texts, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
