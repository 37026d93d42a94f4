r"""Data for the trained network of Baldi & Sadowski, Sections 9.5–9.6 (Figs. 9.3–9.15).

**What ships: the 8×8 digits of scikit-learn.** The paper trains a 784-1200-1200-1200-1200-10
logistic classifier on MNIST. Here the shipped data set is scikit-learn's handwritten digits
(:func:`sklearn.datasets.load_digits`, the UCI "optical recognition of handwritten digits"
test set): 1797 images of 8×8 pixels with 17 grey levels, ten classes, inputs scaled to
[0, 1] by dividing by 16. Why this one:

* it ships *inside* an installed package (scikit-learn is a dependency): no download, no
  network access, no checksum to manage, so ``make figures`` and the test suite run offline;
* it is the same task as MNIST (handwritten digits, ten classes, grey levels in [0, 1]), at a
  size where a dropout-trained 64-h-h-h-h-10 network trains in seconds on 2 cores and 10
  inputs × thousands of dropout subnetworks take seconds — MNIST at 784-1200×4-10 would take
  hours of training and ~1.4·10⁹ multiply-adds per 1000 dropout samples of one input.

What does not transfer from MNIST: the input layer has 64 units instead of 784, and the
digits are less sparse (about half the pixels are 0, against ~80 % for MNIST), which matters
for the paper's remarks on "layer one before training" (Figs. 9.6, 9.7 and 9.15).

**A real MNIST loader.** :func:`load_idx` reads the IDX files MNIST is distributed in
(``train-images-idx3-ubyte[.gz]``, ``train-labels-idx1-ubyte[.gz]``, …), gzip-compressed or
not, and raises ``ValueError`` naming the file on a bad magic number, an unknown type code or
a truncated file. :func:`load_mnist_idx` pairs an image file with its label file and scales
the pixels to [0, 1]. To build the Section 9 network on MNIST files you supply::

    from dropmc.simulations import datasets, ensemble_averaging as sim
    X, y = datasets.load_mnist_idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    Xt, yt = datasets.load_mnist_idx("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    net = sim.train_dropout_classifier(X, y, Xt, yt, hidden=(1200,) * 4, epochs=…, seed=0)

(:func:`dropmc.simulations.ensemble_averaging.train_dropout_classifier` takes plain arrays, so
any data set works; at the paper's size expect hours on a laptop.)
"""

from __future__ import annotations

import gzip
import os
import struct
from functools import lru_cache

import numpy as np

from dropmc._validation import check_int
from dropmc.simulations._core import as_generator

#: IDX type codes → numpy big-endian dtypes
_IDX_TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
              0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


def _read_bytes(path) -> bytes:
    path = os.fspath(path)
    with open(path, "rb") as f:
        head = f.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    try:
        with opener(path, "rb") as f:
            return f.read()
    except (OSError, EOFError) as exc:  # a truncated or corrupt gzip stream
        raise ValueError(f"{path}: cannot read the gzip stream ({exc})") from None


def load_idx(path) -> np.ndarray:
    """Read an IDX file (MNIST's format), gzip-compressed or not, into a numpy array.

    The format: two zero bytes, a type code (0x08 unsigned byte, 0x09 signed byte, 0x0B
    int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions d, then d
    big-endian uint32 sizes, then the data in C order. ``idx3-ubyte`` files (images) give
    arrays of shape (n, rows, cols), ``idx1-ubyte`` files (labels) arrays of shape (n,).

    Raises ``ValueError`` naming the file for a bad magic number, an unknown type code, a
    header shorter than its dimensions, or a data section shorter or longer than the sizes
    announce; ``FileNotFoundError`` when the file does not exist.
    """
    path = os.fspath(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise ValueError(f"{path}: not an IDX file (only {len(raw)} bytes; the header needs 4)")
    z0, z1, code, ndim = raw[0], raw[1], raw[2], raw[3]
    if z0 != 0 or z1 != 0:
        raise ValueError(f"{path}: bad IDX magic number 0x{raw[:4].hex()} (must start with two "
                         "zero bytes, e.g. 0x00000803 for images, 0x00000801 for labels)")
    if code not in _IDX_TYPES:
        raise ValueError(f"{path}: unknown IDX type code 0x{code:02x} (allowed: "
                         + ", ".join(f"0x{c:02x}" for c in _IDX_TYPES) + ")")
    if ndim < 1:
        raise ValueError(f"{path}: IDX header announces {ndim} dimensions (need ≥ 1)")
    head = 4 + 4 * ndim
    if len(raw) < head:
        raise ValueError(f"{path}: truncated IDX header ({len(raw)} bytes, {head} needed for "
                         f"{ndim} dimensions)")
    shape = struct.unpack(f">{ndim}I", raw[4:head])
    dt = _IDX_TYPES[code]
    need = int(np.prod(shape, dtype=np.int64)) * dt.itemsize
    have = len(raw) - head
    if have < need:
        raise ValueError(f"{path}: truncated IDX data ({have} bytes after the header, {need} "
                         f"needed for shape {shape} of {dt.name})")
    if have > need:
        raise ValueError(f"{path}: {have - need} trailing bytes after the IDX data of shape "
                         f"{shape} (corrupt or not an IDX file)")
    return np.frombuffer(raw, dtype=dt, offset=head).reshape(shape).astype(dt.newbyteorder("="))


def save_idx(path, array) -> None:
    """Write ``array`` as an IDX file (gzip-compressed when ``path`` ends in ``.gz``); the
    inverse of :func:`load_idx`, used by the tests to write small IDX files."""
    a = np.asarray(array)
    codes = {v.newbyteorder("=").str[1:]: k for k, v in _IDX_TYPES.items()}
    key = a.dtype.newbyteorder("=").str[1:]
    if key not in codes or a.ndim < 1:
        raise ValueError(f"array: IDX cannot hold dtype {a.dtype} with {a.ndim} dimensions")
    code = codes[key]
    data = bytes([0, 0, code, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape)
    data += np.ascontiguousarray(a, dtype=_IDX_TYPES[code]).tobytes()
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(data)


def load_mnist_idx(images_path, labels_path) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-style IDX image and label files → (X, y): X of shape (n, rows·cols) in [0, 1]
    (pixels divided by 255), y of shape (n,) int64. Raises ``ValueError`` when the files do not
    hold 3-d unsigned-byte images and 1-d labels of the same length."""
    img = load_idx(images_path)
    lab = load_idx(labels_path)
    if img.ndim != 3 or img.dtype != np.uint8:
        raise ValueError(f"{images_path}: expected idx3-ubyte images, got shape {img.shape} of "
                         f"{img.dtype}")
    if lab.ndim != 1:
        raise ValueError(f"{labels_path}: expected idx1-ubyte labels, got shape {lab.shape}")
    if lab.shape[0] != img.shape[0]:
        raise ValueError(f"{images_path} holds {img.shape[0]} images but {labels_path} holds "
                         f"{lab.shape[0]} labels")
    return img.reshape(img.shape[0], -1).astype(float) / 255.0, lab.astype(np.int64)


@lru_cache(maxsize=2)
def _digits():
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data.astype(float) / 16.0, d.target.astype(np.int64)


def load_digits_split(test_fraction: float = 0.25, seed: int = 0):
    """scikit-learn's 8×8 digits, pixels scaled to [0, 1], split at random (seeded) into a
    training and a test set: returns ``(X_train, y_train, X_test, y_test)`` (1797 images in
    all; with the default 0.25, 1348 for training and 449 for testing)."""
    if not (0.0 < float(test_fraction) < 1.0):
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction!r}")
    X, y = _digits()
    perm = as_generator(check_int("seed", seed), name="seed").permutation(y.size)
    k = int(round(y.size * float(test_fraction)))
    te, tr = perm[:k], perm[k:]
    return X[tr].copy(), y[tr].copy(), X[te].copy(), y[te].copy()
