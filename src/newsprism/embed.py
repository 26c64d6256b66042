"""Sentence embeddings through ONNX Runtime: the MiniLM of sentence-transformers, same vectors,
without importing torch at run time.

``DEPS.md`` measured the fp32 export at 1.7x torch's speed with identical vectors (largest
difference about 2e-7); the graph is exported from the installed weights once, by ``make install``
(``python -m newsprism.embed``) or else on first use, into the user's cache directory, and never at
import. Exporting needs torch and transformers (the ``nlp`` extra); running needs only
onnxruntime, tokenizers and numpy. int8 is not used: it moves vectors (cosine 0.993) and so the
alignments and conflicts that rest on similarity thresholds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.cache import cache_root
from newsprism.errors import ModelError

log = logging.getLogger(__name__)

#: Bump when the exported graph changes (inputs, outputs, opset), so old exports are not reused.
EXPORT_FORMAT = 1
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path} is not a JSON object")
    return data


def supported(model_dir: Path) -> bool:
    """A sentence-transformers directory this module reproduces exactly: a transformer with a
    fast tokenizer, mean pooling, then (optionally) normalisation, and nothing else."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = next(m["path"] for m in modules if m["type"].endswith("Pooling"))
        pool = json.loads((model_dir / pooling / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, StopIteration, TypeError):
        return False
    modes = {k for k, v in pool.items() if k.startswith("pooling_mode") and v}
    return (
        kinds[:2] == ["Transformer", "Pooling"]
        and set(kinds[2:]) <= {"Normalize"}
        and modes == {"pooling_mode_mean_tokens"}
        and (model_dir / "tokenizer.json").exists()
        and (model_dir / "config.json").exists()
    )


def export_path(model_dir: Path) -> Path:
    """Where the export of ``model_dir`` lives: keyed by the weights it came from, so a changed
    model (another package version, another path) gets its own export."""
    weights = sorted(model_dir.glob("*.safetensors")) or sorted(model_dir.glob("*.bin"))
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{EXPORT_FORMAT}|{model_dir.resolve()}".encode())
    for w in weights:
        st = w.stat()
        h.update(f"|{w.name}|{st.st_size}|{st.st_mtime_ns}".encode())
    return cache_root() / "onnx" / f"{model_dir.name}-{h.hexdigest()}" / "model.onnx"


def export(model_dir: Path, target: Path) -> Path:
    """Export the transformer and its mean pooling to ``target`` (written atomically, so workers
    exporting at once never read half a file)."""
    try:
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError(
            "exporting the embedding model needs torch: pip install 'newsprism[nlp]'"
        ) from exc
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    # The eager attention traces to plain ops that every ONNX Runtime build runs.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    dummy = torch.ones((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    try:
        # The tracer's notes (legacy exporter, shapes taken as constants) are about code paths
        # this graph does not take; the vectors are checked against torch's in the tests.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                MeanPooled(model),
                (dummy, dummy, torch.zeros_like(dummy)),
                str(tmp),
                input_names=list(INPUTS),
                output_names=["embedding"],
                dynamic_axes={**axes, "embedding": {0: "batch"}},
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(tmp, target)
    except Exception as exc:  # torch's exporter raises many types; we report one
        tmp.unlink(missing_ok=True)
        raise ModelError(f"cannot export {model_dir} to ONNX: {exc}") from exc
    return target


class OnnxEmbedder:
    """The part of ``SentenceTransformer.encode`` newsprism uses, on an ONNX export: texts in,
    an ``(n, dim)`` float32 array out, mean-pooled and optionally L2-normalised."""

    def __init__(self, model_dir: Path, onnx_path: Path, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelError("onnxruntime is not installed: pip install 'newsprism[nlp]'") from exc
        st_config = _read_json(model_dir / "sentence_bert_config.json")
        self.max_seq_length = int(st_config.get("max_seq_length", 256))
        self.normalize = any(
            m["type"].endswith("Normalize")
            for m in json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        )
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # sentence-transformers truncates at max_seq_length and pads to the longest of a batch,
        # whatever tokenizer.json says (all-MiniLM's says 128 and fixed padding).
        self.tokenizer.enable_truncation(self.max_seq_length)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.inter_op_num_threads = 1
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def encode(
        self,
        sentences: Sequence[str],
        batch_size: int = 64,
        normalize_embeddings: bool = False,
        show_progress_bar: bool = False,
        **_: Any,
    ) -> np.ndarray:
        """Embeddings of ``sentences`` in their order. Texts are batched longest first, as
        sentence-transformers does, so a batch pads to lengths close to its own."""
        del show_progress_bar
        out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        if not sentences:
            return out
        encodings = self.tokenizer.encode_batch(list(sentences))
        order = sorted(range(len(encodings)), key=lambda i: -len(encodings[i].ids))
        for k in range(0, len(order), batch_size):
            rows = order[k : k + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            types = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                e = encodings[i]
                ids[r, : len(e.ids)] = e.ids
                mask[r, : len(e.ids)] = 1
                types[r, : len(e.ids)] = e.type_ids
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            out[rows] = self.session.run(None, {n: feed[n] for n in self.inputs})[0]
        if normalize_embeddings or self.normalize:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out /= np.maximum(norms, 1e-12)
        return out


def onnx_embedder(
    model_dir: Path, *, export_missing: bool = True, threads: int | None = None
) -> OnnxEmbedder:
    """The ONNX embedder of ``model_dir``, exporting it first when there is no export yet."""
    if not supported(model_dir):
        raise ModelError(f"{model_dir} is not a mean-pooled sentence-transformers model")
    path = export_path(model_dir)
    if not path.exists():
        if not export_missing:
            raise ModelError(f"no ONNX export of {model_dir} at {path}")
        log.info("exporting %s to ONNX at %s (once)", model_dir, path)
        export(model_dir, path)
    return OnnxEmbedder(model_dir, path, threads=threads)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m newsprism.embed``: export the configured model (``make install`` runs it)."""
    from newsprism.config import load_settings
    from newsprism.nlp import model_dir

    del argv
    settings = load_settings()
    directory = model_dir(settings.embedding_model)
    path = export_path(directory)
    if path.exists():
        print(f"ONNX export already at {path}")
        return 0
    export(directory, path)
    print(f"exported {directory} to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
