"""Values as plain data: what crosses between the grader and a learner's kernel.

Only JSON crosses, never pickle: numbers, strings, None, lists, tuples, sets and
dicts of them, numpy arrays (their dtype, shape and raw bytes, base64), and autograd
Tensors (value, grad, name, requires_grad, op and parents). Anything else arrives
as an `Opaque` stand-in that knows only its type's name and a short text. Decoding
builds plain numpy arrays and fresh Tensors, so whatever object a learner's code
returns (an ndarray subclass that claims to equal everything, say), the grader
only ever compares numbers.

One `Exchange` serves one call and its replies. It gives every Tensor and every
opaque object an id the first time it crosses, so that an answer can refer to an
object the other side sent (a Tensor the learner's code returns, or updates, is
the grader's own Tensor again):

    grader = Exchange(Tensor)           kernel = Exchange(Tensor)
    message = grader.encode(args)  →    args = kernel.decode(message)
    value = grader.decode(answer)  ←    answer = kernel.encode(value)

Both sides use this module: the grader in its own process, the kernel through the
package copy in its sandbox. `describe_exception` is how both describe what the
learner's code raised.
"""

import base64
import math

import numpy as np

__all__ = ["Exchange", "Opaque", "PlainDataError", "MAX_ENTRIES", "MAX_ITEMS", "describe_exception"]

MAX_ENTRIES = 5_000_000   # numbers in one message (40 MB of float64), beyond which a value is opaque
MAX_ITEMS = 100_000       # items of lists, tuples, sets and dicts in one message (each a Python object)
MAX_NESTING = 40          # nesting of lists, dicts and Tensors' parents
MAX_TEXT = 20_000         # characters of one string
_ARRAY_DTYPES = {"bool": np.bool_, "int64": np.int64, "uint64": np.uint64, "float64": np.float64}


class PlainDataError(ValueError):
    """A message that is not the plain data this module writes."""


class Opaque:
    """Stands for an object that does not cross as plain data (a function, a module, ...).

    kind: its type's name; text: a short description. Equal only to itself (by id),
    so a reference can sort or look up the other side's objects and hand them back.
    """

    __slots__ = ("id", "kind", "text")

    def __init__(self, id, kind, text):
        self.id, self.kind, self.text = id, kind, text

    def __repr__(self):
        return self.text

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.id == self.id

    def __hash__(self):
        return hash(("opaque", self.id))


class Exchange:
    """Encode and decode the values of one call (see the module's docstring).

    tensor_type: the autograd Tensor class of this side; decoded Tensors are made
    from it, and its instances are encoded as Tensors.
    """

    def __init__(self, tensor_type):
        self.tensor_type = tensor_type
        self.objects = {}    # id -> object (Tensors and opaque objects seen so far)
        self._ids = {}       # id(object) -> id
        self._next = 1
        self._entries = 0
        self._items = 0

    # --- encoding -----------------------------------------------------------------------

    def encode(self, value, depth=0):
        """A JSON-ready description of value."""
        if depth > MAX_NESTING:
            return self._opaque(value, "nested too deeply")
        if value is None:
            return {"t": "none"}
        if isinstance(value, (bool, np.bool_)):
            return {"t": "bool", "v": bool(value)}
        if isinstance(value, int) and not isinstance(value, bool):
            return {"t": "int", "v": str(value)} if abs(value) < 10**100 else self._opaque(value, "a huge int")
        if isinstance(value, np.generic) and value.dtype.kind in "iuf":  # before float: np.float64 is one
            return {"t": "scalar", "dtype": value.dtype.name, "v": _float_text(float(value))
                    if value.dtype.kind == "f" else str(int(value))}
        if isinstance(value, float):
            return {"t": "float", "v": _float_text(value)}
        if isinstance(value, str):
            return {"t": "str", "v": value[:MAX_TEXT]}
        if isinstance(value, np.ndarray):
            return self._encode_array(value)
        if isinstance(value, self.tensor_type):
            return self._encode_tensor(value, depth)
        if isinstance(value, (list, tuple, set, frozenset)):
            kind = "tuple" if isinstance(value, tuple) else "list" if isinstance(value, list) else "set"
            if self._count(len(value), items=True):
                return self._opaque(value, f"a {kind} too long to send")
            return {"t": kind, "items": [self.encode(item, depth + 1) for item in value]}
        if isinstance(value, dict):
            if self._count(len(value), items=True):
                return self._opaque(value, "a dict too long to send")
            return {"t": "dict", "items": [[self.encode(k, depth + 1), self.encode(v, depth + 1)]
                                           for k, v in value.items()]}
        return self._opaque(value)

    def _encode_array(self, array):
        array = np.asarray(array)  # an ndarray subclass crosses as a plain array
        kind = array.dtype.kind
        if kind not in "biuf":
            return self._opaque(array, f"an array of {array.dtype}")
        if self._count(array.size):
            return self._opaque(array, f"an array of {array.size} numbers, too large to send")
        wire = {"b": "bool", "i": "int64", "u": "uint64", "f": "float64"}[kind]
        data = np.ascontiguousarray(array, dtype=_ARRAY_DTYPES[wire])
        return {"t": "array", "dtype": array.dtype.name, "wire": wire, "shape": list(array.shape),
                "data": base64.b64encode(data.tobytes()).decode("ascii")}

    def _encode_tensor(self, tensor, depth):
        known = self._ids.get(id(tensor))
        if known is not None:
            return {"t": "ref", "id": known}
        number = self._remember(tensor)
        fields = {"t": "tensor", "id": number}
        for field in ("value", "grad", "name"):
            fields[field] = self.encode(getattr(tensor, field, None), depth + 1)
        fields["requires_grad"] = bool(getattr(tensor, "requires_grad", False))
        op = getattr(tensor, "op", "")
        fields["op"] = op if isinstance(op, str) else ""
        parents = getattr(tensor, "parents", ())
        fields["parents"] = [self.encode(p, depth + 1) for p in parents] if isinstance(parents, tuple) else []
        return fields

    def _opaque(self, value, text=None):
        known = self._ids.get(id(value))
        number = known if known is not None else self._remember(value)
        kind = type(value).__name__
        if text is None:
            text = f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"
        return {"t": "opaque", "id": number, "kind": kind[:100], "text": text[:200]}

    def _remember(self, value):
        number = self._next
        self._next += 1
        self.objects[number] = value
        self._ids[id(value)] = number
        return number

    def _count(self, entries, items=False):
        """Count entries (numbers; `items`: of lists, sets and dicts) towards the message's limits;
        True when a limit is passed."""
        self._entries += entries
        self._items += entries if items else 0
        return self._entries > MAX_ENTRIES or self._items > MAX_ITEMS

    # --- decoding -----------------------------------------------------------------------

    def decode(self, data, depth=0):
        """The value a description stands for (see encode); PlainDataError if it is malformed."""
        try:
            return self._decode(data, depth)
        except PlainDataError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise PlainDataError(f"not plain data: {error}") from None

    def _decode(self, data, depth):
        if depth > MAX_NESTING + 2:
            raise PlainDataError("nested too deeply")
        kind = data["t"]
        if kind == "none":
            return None
        if kind == "bool":
            return bool(data["v"])
        if kind == "int":
            return int(_short_number(data["v"]))
        if kind == "float":
            return float(_short_number(data["v"]))
        if kind == "scalar":
            dtype = np.dtype(data["dtype"])
            if dtype.kind not in "biuf":
                raise PlainDataError(f"a scalar of {dtype}")
            value = float(_short_number(data["v"])) if dtype.kind == "f" else int(_short_number(data["v"]))
            return dtype.type(value)
        if kind == "str":
            return str(data["v"])[:MAX_TEXT]
        if kind == "array":
            return self._decode_array(data)
        if kind in ("list", "tuple", "set"):
            items = data["items"]
            if self._count(len(items), items=True):
                raise PlainDataError("too many entries")
            values = [self._decode(item, depth + 1) for item in items]
            return {"list": list, "tuple": tuple, "set": _as_set}[kind](values)
        if kind == "dict":
            items = data["items"]
            if self._count(len(items), items=True):
                raise PlainDataError("too many entries")
            result = {}
            for key, value in items:
                key = self._decode(key, depth + 1)
                try:
                    result[key] = self._decode(value, depth + 1)
                except TypeError:
                    raise PlainDataError("a dict key that cannot be a key") from None
            return result
        if kind == "ref":
            number = int(data["id"])
            if number not in self.objects:
                raise PlainDataError(f"a reference to an unknown object {number}")
            return self.objects[number]
        if kind == "tensor":
            return self._decode_tensor(data, depth)
        if kind == "opaque":
            number = int(data["id"])
            if number in self.objects:
                return self.objects[number]
            opaque = Opaque(number, str(data["kind"])[:100], str(data["text"])[:200])
            self.objects[number] = opaque
            return opaque
        raise PlainDataError(f"an unknown kind {kind!r}")

    def _decode_array(self, data):
        wire = data["wire"]
        if wire not in _ARRAY_DTYPES:
            raise PlainDataError(f"an array of {wire}")
        shape = tuple(int(n) for n in data["shape"])
        if len(shape) > 32 or any(n < 0 for n in shape):
            raise PlainDataError(f"an impossible shape {shape}")
        size = math.prod(shape)
        if self._count(size):
            raise PlainDataError("an array too large")
        raw = base64.b64decode(data["data"], validate=True)
        array = np.frombuffer(raw, dtype=_ARRAY_DTYPES[wire])
        if array.size != size:
            raise PlainDataError(f"{array.size} numbers for the shape {shape}")
        original = np.dtype(data["dtype"])
        if original.kind not in "biuf":
            raise PlainDataError(f"an array of {original}")
        return array.reshape(shape).astype(original)  # a fresh, writable, plain ndarray

    def _decode_tensor(self, data, depth):
        number = int(data["id"])
        if number in self.objects:
            raise PlainDataError(f"the object {number} twice")
        tensor = object.__new__(self.tensor_type)  # fields are set below, as the other side had them
        self.objects[number] = tensor
        self._ids[id(tensor)] = number
        tensor.value = self._decode(data["value"], depth + 1)
        tensor.grad = self._decode(data["grad"], depth + 1)
        tensor.name = self._decode(data["name"], depth + 1)
        tensor.requires_grad = bool(data["requires_grad"])
        tensor.op = str(data["op"])[:40]
        tensor.parents = tuple(self._decode(p, depth + 1) for p in data["parents"])
        for field in _declared_fields(self.tensor_type) or ["_backward"]:
            if not hasattr(tensor, field):
                setattr(tensor, field, None)  # e.g. the backward rule: the other side's does not cross
        return tensor

    # --- the state of Tensors after a call ------------------------------------------------

    def tensor_states(self, numbers):
        """{id: (value, grad)} of the Tensors with these ids, encoded: what a call left in them."""
        states = {}
        for number in numbers:
            tensor = self.objects.get(number)
            if isinstance(tensor, self.tensor_type):
                states[str(number)] = [self.encode(getattr(tensor, "value", None), 1),
                                       self.encode(getattr(tensor, "grad", None), 1)]
        return states

    def tensor_ids(self):
        """The ids of every Tensor this exchange has seen."""
        return [number for number, obj in self.objects.items() if isinstance(obj, self.tensor_type)]

    def apply_tensor_states(self, states):
        """Put the other side's final value and grad into this side's Tensors (see tensor_states)."""
        for number, (value, grad) in states.items():
            tensor = self.objects.get(int(number))
            if not isinstance(tensor, self.tensor_type):
                raise PlainDataError(f"no Tensor {number} was sent")
            tensor.value = self.decode(value, 1)
            tensor.grad = self.decode(grad, 1)


def describe_exception(error):
    """What was raised, as plain data: {"types": the class's name and its bases', "message",
    "line": the line of the innermost frame outside this package (the learner's code), or None}."""
    frame, line = error.__traceback__, None
    while frame is not None:
        if "lecture_utils" not in frame.tb_frame.f_code.co_filename:
            line = frame.tb_lineno
        frame = frame.tb_next
    types = [kind.__name__ for kind in type(error).__mro__ if kind is not object]
    try:
        message = str(error)[:MAX_TEXT]
    except Exception:  # an exception whose __str__ itself fails
        message = ""
    return {"types": types, "message": message, "line": line}


def _declared_fields(cls):
    """The fields a class declares in __slots__ (its own and its bases')."""
    return [name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())]


def _float_text(value):
    """A float as JSON text that keeps nan and ±inf."""
    return repr(float(value))


def _short_number(text):
    text = str(text)
    if len(text) > 400:
        raise PlainDataError("a number too long")
    return text


def _as_set(values):
    try:
        return set(values)
    except TypeError:
        raise PlainDataError("a set of unhashable values") from None
