"""Compares intent classifiers on the same features, outside Rasa, so each candidate
costs seconds rather than a training run: frozen MiniLM sentence vectors with a
linear head, the same plus word and character n-grams, and (with --finetune) the
top MiniLM layers fine-tuned on the intents over cached lower-layer outputs.

    .venv-engine/bin/python scripts/compare_classifiers.py --train nlu --heldout tests/nlu_heldout
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.components.minilm import MiniLM  # noqa: E402
from scripts.nlu_data import examples  # noqa: E402

CACHE = ROOT / ".cache" / "minilm"


def tokens(text: str) -> list[str]:
    """The words the engine's WhitespaceTokenizer gives the featurizer."""
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message

    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    return [t.text for t in tokenizer.tokenize(Message(data={"text": text}), "text")]


def embed(texts: list[str]) -> np.ndarray:
    """Sentence vectors, cached per text."""
    CACHE.mkdir(parents=True, exist_ok=True)
    encoder: MiniLM | None = None
    out = np.empty((len(texts), 384), dtype=np.float32)
    for i, text in enumerate(texts):
        f = CACHE / (hashlib.sha1(text.encode()).hexdigest() + ".npy")
        if f.exists():
            out[i] = np.load(f)
            continue
        encoder = encoder or MiniLM()
        _, sentence = encoder.encode_words(tokens(text) or [text])
        out[i] = sentence[0]
        np.save(f, out[i])
    return out


def ngram_vectorisers() -> list[TfidfVectorizer]:
    return [
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=60000),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True, token_pattern=r"[\w']+"),
    ]


def fit_predict(kind: str, train: list[str], y: list[str], test: list[str], emb_tr, emb_te, c: float):
    if kind == "frozen":
        xtr, xte = emb_tr, emb_te
    else:
        vecs = ngram_vectorisers()
        xtr = sparse.hstack([sparse.csr_matrix(emb_tr * 2.0)] + [v.fit_transform(train) for v in vecs]).tocsr()
        xte = sparse.hstack([sparse.csr_matrix(emb_te * 2.0)] + [v.transform(test) for v in vecs]).tocsr()
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    clf.fit(xtr, y)
    return clf.predict(xte), clf


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", nargs="+", default=["nlu"])
    ap.add_argument("--heldout", nargs="*", default=[])
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--kinds", nargs="+", default=["frozen", "frozen+ngrams"])
    ap.add_argument("--c", type=float, nargs="+", default=[10.0])
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args()
    train = examples(*[ROOT / p for p in args.train])
    texts, y = [t for t, _ in train], [i for _, i in train]
    start = time.time()
    emb = embed(texts)
    print(f"{len(texts)} training examples, {len(set(y))} intents; embedded in {time.time() - start:.0f} s")
    held = examples(*[ROOT / p for p in args.heldout]) if args.heldout else []
    held = [(t, i) for t, i in held if i in set(y)]
    emb_h = embed([t for t, _ in held]) if held else None
    for kind in args.kinds:
        for c in args.c:
            if args.folds:
                pred = np.empty(len(y), dtype=object)
                folds = StratifiedKFold(args.folds, shuffle=True, random_state=7)
                for tr, te in folds.split(texts, y):
                    p, _ = fit_predict(
                        kind, [texts[i] for i in tr], [y[i] for i in tr], [texts[i] for i in te], emb[tr], emb[te], c
                    )
                    pred[te] = p
                f1 = f1_score(y, list(pred), average="weighted")
                print(f"{kind:16} C={c:<5} {args.folds}-fold weighted F1 {f1:.3f}")
            if held:
                t0 = time.time()
                p, _ = fit_predict(kind, texts, y, [t for t, _ in held], emb, emb_h, c)
                gold = [i for _, i in held]
                print(
                    f"{kind:16} C={c:<5} held-out weighted F1 {f1_score(gold, p, average='weighted'):.3f}"
                    f" over {len(held)} ({time.time() - t0:.0f} s to fit)"
                )
                if args.report:
                    print(classification_report(gold, p, digits=3, zero_division=0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
