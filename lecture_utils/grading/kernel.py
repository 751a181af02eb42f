"""The grader's side of a learner's kernel: run the notebook's cells, call the learner's functions.

    kernel = Kernel(sandbox)                 # a Sandbox (sandbox.py), not started yet
    kernel.start()
    kernel.run_cell("def predict(x, k, m): ...", timeout=20)      # -> CellRun
    check_predict(InKernel(kernel, "predict"), thorough=True)       # the check runs HERE

`InKernel` is the LearnerFunction (checks/learner.py) a check uses while grading: it
sends the inputs the check drew to the kernel as plain data, waits (within the call's
time limit, the grader's time answering references included) for plain data back,
answers the kernel's reference requests with the check's own references (refusing a
question larger than the call's inputs), and updates the check's Tensors with what the
learner's code left in them. When a call hangs or the kernel dies, the call fails with a
verdict and the kernel is marked `lost`: the grader then starts it again (grade_one.py).

What the kernel sends costs the grader bounded memory: a message larger than the sandbox's
Limits.message_size is dropped (and few are queued), a cell's output is kept only up to
Limits.output characters as it arrives, error texts up to ERROR_TEXT.
"""

import ast
import json
import time
from dataclasses import dataclass, field

# isort: off
from . import instructor_extra  # noqa: F401  (first: a clear message without the instructor extra)
# isort: on

import numpy as np  # noqa: E402
import zmq  # noqa: E402
from jupyter_client import BlockingKernelClient  # noqa: E402

from ..autograd import Tensor
from ..checks.learner import LearnerFunction, LearnerRaised, Raised
from ..checks.verdicts import Failed
from ..plain import Exchange, PlainDataError
from .in_kernel import REFERENCE_PROMPT, REQUEST_PROMPT

__all__ = ["Kernel", "InKernel", "CellRun", "KernelLost"]

STARTUP = "from lecture_utils.grading.in_kernel import call as __lecture_call__"
ERROR_TEXT = 1_000      # characters kept of what a cell raised
QUEUED = 4              # messages from the kernel queued per channel; beyond them, output is dropped


class KernelLost(Exception):
    """The kernel stopped answering (a hang past its time limit) or died."""


@dataclass
class CellRun:
    """What running one cell did. status: "ok", "error", "timed out" or "kernel died"."""

    status: str
    output: str = ""
    error: str = ""


@dataclass
class _Execution:
    """One execute request as it goes: its status, reply, and the output kept of it (at most `limit` characters)."""

    status: str = "running"
    reply: dict = field(default_factory=dict)
    output: list = field(default_factory=list)
    error: str = ""
    limit: int = 20_000
    kept: int = 0
    dropped: int = 0

    def keep(self, text):
        """Keep what fits of `text`; count the rest (nothing beyond the limit is held)."""
        room = self.limit - self.kept
        if room > 0:
            self.output.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))

    def text(self):
        cut = f"\n… ({self.dropped:,} more characters not kept)" if self.dropped else ""
        return "".join(self.output) + cut


class Kernel:
    """One learner's kernel in its sandbox, driven by the grader."""

    def __init__(self, sandbox, start_timeout=60):
        self.sandbox = sandbox
        self.limits = sandbox.limits
        self.start_timeout = start_timeout
        self.client = None
        self.lost = False

    def start(self):
        info = self.sandbox.start()
        context = zmq.Context()
        context.setsockopt(zmq.MAXMSGSIZE, self.limits.message_size)  # a larger one drops the connection
        context.setsockopt(zmq.RCVHWM, QUEUED)
        self.client = BlockingKernelClient(context=context)
        self.client.load_connection_info(info)
        self.client.start_channels()
        try:
            self._wait_until_ready()
        except KernelLost:
            self.stop()
            raise
        self.lost = False
        run = self.run_cell(STARTUP, timeout=self.start_timeout)
        if run.status != "ok":
            self.stop()
            raise KernelLost(f"the kernel could not load the grader's helper: {run.error or run.status}")

    def _wait_until_ready(self):
        """Ask for kernel_info until both its reply and its status on iopub arrive (iopub is connected)."""
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if not self.sandbox.alive():
                raise KernelLost("the kernel exited while it started")
            msg_id = self.client.kernel_info()
            replied = seen_on_iopub = False
            until = time.monotonic() + 1.0
            while time.monotonic() < until and not (replied and seen_on_iopub):
                for channel in (self.client.shell_channel, self.client.iopub_channel):
                    message = _receive(channel, timeout=0.05)
                    if message is not None and message["parent_header"].get("msg_id") == msg_id:
                        replied |= message["msg_type"] == "kernel_info_reply"
                        seen_on_iopub |= message["msg_type"] == "status"
            if replied and seen_on_iopub:
                return
        raise KernelLost(f"the kernel did not answer within {self.start_timeout:g} s")

    def stop(self):
        if self.client is not None:
            self.client.stop_channels()
            self.client.context.term()
            self.client = None
        self.sandbox.stop()

    def restart(self):
        self.stop()
        self.start()

    def run_cell(self, code, timeout):
        """Run a notebook cell; on a timeout or a dead kernel the kernel is marked lost."""
        execution = self._execute(code, timeout)
        return CellRun(execution.status, execution.text(), execution.error)

    def call(self, request, timeout, answer_reference):
        """Send a call request (a dict) and return the kernel's reply (a dict).

        answer_reference(question) -> reply: computes a reference in this process, for an
        input request the learner's code makes through a reference stand-in.
        """
        code = f"__lecture_reply__ = __lecture_call__(input({REQUEST_PROMPT!r}), globals())"
        execution = self._execute(code, timeout, answer_reference=answer_reference, request=json.dumps(request),
                                  user_expressions={"reply": "__lecture_reply__"})
        if execution.status in ("timed out", "kernel died"):
            raise KernelLost(execution.status)
        if execution.status != "ok":
            raise PlainDataError(f"the call did not run: {execution.error}")
        expression = _field(_field(execution.reply, "user_expressions"), "reply")
        text = _field(expression, "data").get("text/plain")
        if expression.get("status") != "ok" or not isinstance(text, str) or text[:1] not in ("'", '"'):
            raise PlainDataError("no reply")
        try:
            reply = json.loads(ast.literal_eval(text))
        except (ValueError, SyntaxError, RecursionError, MemoryError):
            raise PlainDataError("a reply that is not JSON") from None
        if not isinstance(reply, dict):
            raise PlainDataError("a reply that is not a dict")
        return reply

    # --- one execute request, with its outputs, input requests and time limit ---------------

    def _execute(self, code, timeout, answer_reference=None, user_expressions=None, request=None):
        if self.lost or self.client is None:
            return _Execution(status="kernel died")
        client = self.client
        msg_id = client.execute(code, silent=False, store_history=False, allow_stdin=True,
                                user_expressions=user_expressions or {}, stop_on_error=False)
        execution = _Execution(limit=self.limits.output)
        poller = zmq.Poller()
        channels = {client.shell_channel.socket: client.shell_channel,
                    client.iopub_channel.socket: client.iopub_channel,
                    client.stdin_channel.socket: client.stdin_channel}
        for socket in channels:
            poller.register(socket, zmq.POLLIN)
        deadline = time.monotonic() + timeout
        idle = False  # iopub's "idle" for our request: every output has arrived
        while execution.status == "running" or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.sandbox.alive():
                self.lost = True
                execution.status = "timed out" if remaining <= 0 else "kernel died"
                return execution
            ready = dict(poller.poll(min(remaining, 0.5) * 1000))
            for socket in ready:
                message = _receive(channels[socket], timeout=0)
                if message is None or message["parent_header"].get("msg_id") != msg_id:
                    continue
                kind = message["msg_type"]
                if kind == "execute_reply":
                    execution.reply = message["content"]
                    execution.status = "ok" if message["content"].get("status") == "ok" else "error"
                elif kind == "input_request":  # the grader's time answering a reference counts too
                    prompt = str(message["content"].get("prompt", ""))
                    client.input(self._input_reply(prompt, answer_reference, request))
                elif kind == "status" and message["content"].get("execution_state") == "idle":
                    idle = True
                else:
                    _collect(message, execution)
        return execution

    @staticmethod
    def _input_reply(prompt, answer_reference, request):
        """The reply to an input request: the call's request (JSON text: as input, not as code, which the kernel
        would parse slowly), a reference's answer, or nothing for any other input()."""
        if prompt == REQUEST_PROMPT and request is not None:
            return request
        if not prompt.startswith(REFERENCE_PROMPT) or answer_reference is None:
            return ""
        try:
            question = json.loads(prompt[len(REFERENCE_PROMPT):])
            return json.dumps(answer_reference(question))
        except (ValueError, PlainDataError, RecursionError) as error:
            return json.dumps({"status": "raised",
                               "raised": {"types": ["ValueError"], "message": str(error)[:ERROR_TEXT]}})


def _receive(channel, timeout):
    """The next message on a channel, or None: none arrived, or what arrived is not a readable message.

    The kernel holds the connection's key, so a message from it is only a claim, and a learner's
    forked processes can garble what they share: a bad or replayed signature, broken JSON, a
    header, parent or content that is not a dict are all dropped, like noise on the line.
    """
    try:
        message = channel.get_msg(timeout=timeout)
    except Exception:  # none arrived (queue.Empty), or its Session could not deserialize or verify it
        return None
    if not (isinstance(message, dict) and isinstance(message.get("msg_type"), str)
            and isinstance(message.get("parent_header"), dict) and isinstance(message.get("content"), dict)):
        return None
    return message


def _field(mapping, key):
    """mapping[key] if it is a dict, else an empty dict (a reply's parts are claims of the kernel)."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, dict) else {}


def _collect(message, execution):
    """Keep the text a cell printed or raised (for the instructor's feedback), within the execution's limit."""
    content, kind = message["content"], message["msg_type"]
    if kind == "stream":
        execution.keep(str(content.get("text", "")))
    elif kind in ("execute_result", "display_data"):
        text = _field(content, "data").get("text/plain")
        if text and kind == "execute_result":
            execution.keep(str(text) + "\n")
    elif kind == "error":
        execution.error = f"{str(content.get('ename', 'Error'))[:100]}: {str(content.get('evalue', ''))}"[:ERROR_TEXT]
        execution.keep(execution.error + "\n")


class InKernel(LearnerFunction):
    """The learner's function `name`, reached in its kernel (see the module's docstring).

    timeout: seconds one call may take, the references' answers included.
    """

    def __init__(self, kernel, name, timeout=10.0):
        self.kernel = kernel
        self.name = name
        self.timeout = timeout
        self._parameters = []

    def call(self, args, kwargs, references):
        __tracebackhide__ = True
        exchange = Exchange(Tensor)
        request = {"function": self.name, "args": [exchange.encode(a) for a in args],
                   "kwargs": {str(k): exchange.encode(v) for k, v in kwargs.items()},
                   "references": sorted(references)}
        sent = exchange.tensor_ids()
        largest = _largest_dimension([*args, *kwargs.values()])
        try:
            reply = self.kernel.call(request, self.timeout,
                                     lambda question: _reference_answer(question, references, largest))
        except KernelLost as lost:
            raise Failed(*_lost_verdict(str(lost), self.timeout)) from None
        except PlainDataError as error:
            raise Failed(f"Its answer could not be read ({error}).",
                         "return numbers, numpy arrays, lists or Tensors.") from None
        status = reply.get("status")
        if status == "undefined":
            raise Failed(f"There is no function `{self.name}` in the notebook.",
                         f"define it with `def {self.name}(...):` in its exercise cell.")
        if status == "not a function":
            raise Failed(f"It should be a function, but it is {str(reply.get('what'))[:80]}.",
                         f"define it with `def {self.name}(...):` in its exercise cell.")
        parameters = reply.get("parameters")
        self._parameters = [str(p)[:40] for p in parameters[:20]] if isinstance(parameters, list) else []
        try:
            exchange.apply_tensor_states({k: v for k, v in reply.get("tensors", {}).items() if int(k) in sent})
            if status == "returned":
                return exchange.decode(reply["value"])
            raised = Raised.from_plain(_cut(reply["raised"])) if status == "raised" else None
        except (PlainDataError, KeyError, TypeError, ValueError, AttributeError) as error:
            raise Failed(f"Its answer could not be read ({error}).",
                         "return numbers, numpy arrays, lists or Tensors.") from None
        if raised is None:
            raise Failed(f"Its answer could not be read (an unknown status {str(status)[:40]!r}).")
        raise LearnerRaised(raised)

    def parameter_names(self):
        return self._parameters


def _reference_answer(question, references, largest):
    """Compute a reference the learner's code called, here in the grader's process.

    largest: the largest dimension of the call's inputs. A question with a larger array is refused
    (it raises in the learner's kernel): a reference's work and answer stay the size of the exercise's.
    """
    name = question.get("reference") if isinstance(question, dict) else None
    if not isinstance(name, str) or name not in references:
        return {"status": "raised",
                "raised": {"types": ["NameError"], "message": f"{str(name)[:80]!r} is not available"}}
    exchange = Exchange(Tensor)
    sent = ()
    try:  # the question is the learner's code's claim: malformed arguments raise in the learner's kernel
        args = [exchange.decode(a) for a in question.get("args", [])]
        kwargs = {str(k): exchange.decode(v) for k, v in question.get("kwargs", {}).items()}
        sent = exchange.tensor_ids()
        asked = _largest_dimension([*args, *kwargs.values()])
        if asked > largest:
            raise ValueError(f"{name} was asked about an array with a dimension of {asked}, larger than any of the "
                             f"exercise's inputs ({largest}): the grader answers questions the size of its inputs")
        value = references[name](*args, **kwargs)
        answer = {"status": "returned", "value": exchange.encode(value)}
    except Exception as error:  # e.g. a reference refusing a learner's malformed input
        answer = {"status": "raised", "raised": {"types": [type(error).__name__], "message": str(error)[:ERROR_TEXT]}}
    answer["tensors"] = exchange.tensor_states(sent)
    return answer


def _largest_dimension(values):
    """The largest dimension of the arrays among `values` (in lists, tuples, dicts, Tensors and their graphs),
    1 if there are none."""
    largest, seen, todo = 1, set(), list(values)
    while todo:
        value = todo.pop()
        if isinstance(value, np.ndarray):
            largest = max(largest, *value.shape) if value.ndim else largest
        elif isinstance(value, Tensor):
            if id(value) not in seen:
                seen.add(id(value))
                todo += [getattr(value, "value", None), getattr(value, "grad", None), *getattr(value, "parents", ())]
        elif isinstance(value, (list, tuple, set, frozenset)):
            todo += list(value)
        elif isinstance(value, dict):
            todo += list(value.values())
    return largest


def _cut(raised):
    """A kernel's description of an exception, its message cut to ERROR_TEXT (it is the learner's to forge)."""
    if not isinstance(raised, dict):
        raise TypeError("not a description of an exception")
    return {**raised, "message": str(raised.get("message", ""))[:ERROR_TEXT]}


def _lost_verdict(what, timeout):
    if what == "timed out":
        return (f"It did not finish within {timeout:g} s.",
                "look for an endless loop (a while loop whose condition never becomes false), "
                "or far more steps than the exercise needs.")
    return ("Its kernel stopped while it ran (it exited, crashed or ran out of memory).",
            "do not call exit() or os._exit(); keep the arrays you make small.")
