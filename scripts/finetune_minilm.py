"""Experiment: fine-tune MiniLM's top layers on the intents (over cached outputs of the
lower layers, so each epoch costs seconds on a CPU) and measure held-out F1 of
(a) the fine-tuned head and (b) a linear head over the fine-tuned sentence vectors
with n-grams, against the frozen encoder.

    .venv-engine/bin/python scripts/finetune_minilm.py --train nlu --heldout tests/nlu_heldout --top 2
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.components.minilm import HEADS, HIDDEN, LAYERS, MiniLM  # noqa: E402
from scripts.compare_classifiers import embed, fit_predict, tokens  # noqa: E402
from scripts.nlu_data import examples  # noqa: E402

MAX_PIECES = 126


def lower_states(model: MiniLM, texts: list[str], below: int) -> list[np.ndarray]:
    cache = ROOT / ".cache" / f"minilm-l{below}"
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for text in texts:
        f = cache / (hashlib.sha1(text.encode()).hexdigest() + ".npy")
        if f.exists():
            out.append(np.load(f))
            continue
        flat = [i for p in model.piece_ids(tokens(text) or [text]) for i in p][:MAX_PIECES]
        h = model.run_layers(model.embed_ids([model.cls_id, *flat, model.sep_id]), model.layers[:below])
        np.save(f, h.astype(np.float32))
        out.append(h.astype(np.float32))
    return out


def pad(states: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    t = max(s.shape[0] for s in states)
    x = np.zeros((len(states), t, HIDDEN), dtype=np.float32)
    m = np.zeros((len(states), t), dtype=np.float32)
    for i, s in enumerate(states):
        x[i, : s.shape[0]] = s
        m[i, : s.shape[0]] = 1
    return x, m


def build(tf, model: MiniLM, top: int, n_classes: int):
    """Trainable copies of the top layers; returns (variables, encode(x, mask) -> pooled)."""
    layers = model.layers[LAYERS - top :]
    vs = [{k: tf.Variable(getattr(layer, k)) for k in layer.__dataclass_fields__} for layer in layers]
    head_dim = HIDDEN // HEADS

    def ln(x, w, b):
        mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) / tf.sqrt(var + 1e-12) * w + b

    def encode(x, mask):
        bsz, t = tf.shape(x)[0], tf.shape(x)[1]
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for v in vs:
            qkv = tf.matmul(x, v["qkv_w"]) + v["qkv_b"]
            q, k, val = (
                tf.transpose(
                    tf.reshape(qkv[..., i * HIDDEN : (i + 1) * HIDDEN], (bsz, t, HEADS, head_dim)), (0, 2, 1, 3)
                )
                for i in range(3)
            )
            scores = tf.matmul(q, k, transpose_b=True) / np.sqrt(head_dim) + bias
            attn = tf.reshape(tf.transpose(tf.matmul(tf.nn.softmax(scores, -1), val), (0, 2, 1, 3)), (bsz, t, HIDDEN))
            x = ln(x + tf.matmul(attn, v["out_w"]) + v["out_b"], v["ln1_w"], v["ln1_b"])
            h = tf.matmul(x, v["ff_in_w"]) + v["ff_in_b"]
            h = 0.5 * h * (1.0 + tf.math.erf(h / np.sqrt(2.0)))
            x = ln(x + tf.matmul(h, v["ff_out_w"]) + v["ff_out_b"], v["ln2_w"], v["ln2_b"])
        # Mean over the words, leaving out [CLS] and [SEP], as the frozen encoder does.
        lengths = tf.reduce_sum(mask, 1)
        pool = mask * tf.cast(tf.range(t)[None, :] > 0, tf.float32)
        pool = pool * tf.cast(tf.range(t)[None, :] < tf.cast(lengths[:, None], tf.int32) - 1, tf.float32)
        pooled = tf.reduce_sum(x * pool[..., None], 1) / tf.maximum(tf.reduce_sum(pool, 1, keepdims=True), 1.0)
        return tf.math.l2_normalize(pooled, -1)

    head = tf.Variable(np.zeros((HIDDEN, n_classes), dtype=np.float32))
    head_b = tf.Variable(np.zeros((n_classes,), dtype=np.float32))
    return [x for v in vs for x in v.values()], (head, head_b), encode


def main() -> int:
    import tensorflow as tf
    from sklearn.metrics import f1_score

    ap = argparse.ArgumentParser()
    ap.add_argument("--train", nargs="+", default=["nlu"])
    ap.add_argument("--heldout", nargs="+", required=True)
    ap.add_argument("--top", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-5)
    args = ap.parse_args()
    tf.random.set_seed(7)
    rng = np.random.default_rng(7)

    train = examples(*[ROOT / p for p in args.train])
    texts, y = [t for t, _ in train], [i for _, i in train]
    labels = sorted(set(y))
    held = [(t, i) for t, i in examples(*[ROOT / p for p in args.heldout]) if i in set(labels)]
    model = MiniLM()
    t0 = time.time()
    states = lower_states(model, texts, LAYERS - args.top)
    states_h = lower_states(model, [t for t, _ in held], LAYERS - args.top)
    print(f"cached layer {LAYERS - args.top} outputs in {time.time() - t0:.0f} s")

    enc_vars, (head, head_b), encode = build(tf, model, args.top, len(labels))
    yi = np.array([labels.index(i) for i in y])
    counts = np.bincount(yi, minlength=len(labels))
    weights = tf.constant((len(yi) / (len(labels) * counts)).astype(np.float32))
    opt_enc = tf.keras.optimizers.Adam(args.lr)
    opt_head = tf.keras.optimizers.Adam(3e-3)
    scale = 20.0

    @tf.function(reduce_retracing=True)
    def step(x, m, target):
        with tf.GradientTape() as tape:
            logits = tf.matmul(encode(x, m) * scale, head) + head_b
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(target, logits) * tf.gather(weights, target)
            )
        grads = tape.gradient(loss, [*enc_vars, head, head_b])
        opt_enc.apply_gradients(zip(grads[: len(enc_vars)], enc_vars, strict=True))
        opt_head.apply_gradients(zip(grads[len(enc_vars) :], [head, head_b], strict=True))
        return loss

    # Train the head alone first, so the encoder's first updates aren't driven by a random head.
    order = np.argsort([s.shape[0] for s in states])
    batches = [order[i : i + 32] for i in range(0, len(order), 32)]
    t0 = time.time()
    for epoch in range(args.epochs):
        rng.shuffle(batches)
        total = 0.0
        for b in batches:
            x, m = pad([states[i] for i in b])
            total += float(step(tf.constant(x), tf.constant(m), tf.constant(yi[b])))
        print(f"epoch {epoch + 1}: loss {total / len(batches):.3f} ({time.time() - t0:.0f} s)")

    def pooled(sts: list[np.ndarray]) -> np.ndarray:
        out = []
        for i in range(0, len(sts), 64):
            x, m = pad(sts[i : i + 64])
            out.append(encode(tf.constant(x), tf.constant(m)).numpy())
        return np.concatenate(out)

    gold = [i for _, i in held]
    p_h = pooled(states_h)
    head_pred = [labels[k] for k in np.argmax(p_h @ head.numpy() * scale + head_b.numpy(), 1)]
    f1 = f1_score(gold, head_pred, average="weighted")
    print(f"fine-tuned top {args.top} + its head: held-out weighted F1 {f1:.3f}")
    p_t = pooled(states)
    ht = [t for t, _ in held]
    pred, _ = fit_predict("frozen+ngrams", texts, y, ht, p_t, p_h, 10.0)
    f1 = f1_score(gold, pred, average="weighted")
    print(f"fine-tuned top {args.top} + ngrams, linear head: held-out weighted F1 {f1:.3f}")
    pred, _ = fit_predict("frozen+ngrams", texts, y, ht, embed(texts), embed(ht), 10.0)
    print(f"frozen + ngrams, linear head: held-out weighted F1 {f1_score(gold, pred, average='weighted'):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
