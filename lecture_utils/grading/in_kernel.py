"""Inside a learner's kernel while grading: call one of the learner's functions, answer in plain data.

The grader (grading/kernel.py) runs, in the learner's sandboxed kernel,

    __lecture_reply__ = __lecture_call__(input(REQUEST_PROMPT), globals())

answers that input request with the request, and reads `__lecture_reply__` back. The request
names the learner's function and carries its inputs as plain data (lecture_utils.plain); the
reply says what the function returned or raised, and what it left in the Tensors it was given.

References for earlier exercises (so that one mistake costs one mark) are not here:
the learner's code sees stand-ins that forward each call to the grader through the
kernel's stdin channel (an input request) and return the grader's answer. The grader
answers only for the references of the call it is waiting for.

Nothing in this module is trusted. The learner's code may replace any of it; that only
changes what the grader is told, and the grader judges what it is told against
inputs it drew itself, never seen by this kernel before.
"""

import importlib
import inspect
import json

from ..plain import Exchange, describe_exception

__all__ = ["call", "REFERENCE_PROMPT", "REQUEST_PROMPT"]

REQUEST_PROMPT = "lecture-grader-request:"      # the input request answered with the call's request
REFERENCE_PROMPT = "lecture-grader-reference:"  # starts the input request of a reference call


def call(request, namespace):
    """Serve one request (JSON text) against the notebook's namespace; return the reply (JSON text)."""
    request = json.loads(request)
    name = request["function"]
    function = namespace.get(name)
    if name not in namespace:
        return json.dumps({"status": "undefined"})
    if not callable(function):
        return json.dumps({"status": "not a function", "what": _what(function)})
    exchange = Exchange(_tensor_type())
    args = [exchange.decode(a) for a in request["args"]]
    kwargs = {key: exchange.decode(value) for key, value in request["kwargs"].items()}
    sent = exchange.tensor_ids()
    reply = {"parameters": _parameters(function)}
    saved = {ref: namespace.get(ref, _MISSING) for ref in request["references"]}
    namespace.update({ref: _stand_in(ref) for ref in request["references"]})
    try:
        value = function(*args, **kwargs)
        reply.update(status="returned", value=exchange.encode(value))
    except BaseException as error:  # the learner's bug (also SystemExit and the like)
        reply.update(status="raised", raised=describe_exception(error))
    finally:
        for ref, old in saved.items():
            if old is _MISSING:
                namespace.pop(ref, None)
            else:
                namespace[ref] = old
    reply["tensors"] = exchange.tensor_states(sent)
    return json.dumps(reply)


def _stand_in(name):
    """A function that asks the grader to compute reference `name` on its arguments."""

    def reference(*args, **kwargs):
        exchange = Exchange(_tensor_type())
        question = {"reference": name, "args": [exchange.encode(a) for a in args],
                    "kwargs": {str(k): exchange.encode(v) for k, v in kwargs.items()}}
        sent = exchange.tensor_ids()
        answer = json.loads(input(REFERENCE_PROMPT + json.dumps(question)))
        exchange.apply_tensor_states({k: v for k, v in answer.get("tensors", {}).items() if int(k) in sent})
        if answer["status"] == "raised":
            raised = answer["raised"]
            kind = type(str(raised["types"][0]), (Exception,), {})  # named as the grader's exception
            raise kind(raised["message"])
        return exchange.decode(answer["value"])

    reference.__name__ = name
    return reference


class _NoTensor:
    """What the kernel's Tensors are when its package copy holds no autograd (the notebook uses none)."""


def _tensor_type():
    """The autograd Tensor class of the kernel's package copy, or _NoTensor if the copy does not hold it.

    Looked up when called, not imported: the copy holds the autograd core only for notebooks that use it.
    """
    kind = getattr(importlib.import_module("lecture_utils.autograd"), "Tensor", None)
    return kind if isinstance(kind, type) else _NoTensor


def _parameters(function):
    try:
        return list(inspect.signature(function).parameters)[:20]
    except (TypeError, ValueError):
        return []


def _what(value):
    kind = type(value).__name__
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


_MISSING = object()
