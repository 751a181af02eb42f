"""The playground panel without a browser: its controls, its layer buttons, the settings line, and
▶ play / ❚❚ pause on an asyncio event loop, as in a Jupyter kernel."""

import asyncio
import html
import re
import threading

import numpy as np
import pytest

from figures import pixels
from lecture_utils import widgets
from lecture_utils.lessons.playground import MAX_LAYERS, MAX_NEURONS, Settings
from lecture_utils.widgets.playground import PlaygroundPanel


@pytest.fixture(autouse=True)
def no_panel_left_playing():
    yield
    for panel in list(PlaygroundPanel._panels):
        panel.pause()


def alone(work):
    """work() in a thread of its own, with no event loop of the caller's around it (another test's
    library may keep one running in the main thread); its result, or its exception raised here."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def run_loop(scenario):
    """asyncio.run(scenario()) on a fresh event loop, as a Jupyter kernel has one."""
    return alone(lambda: asyncio.run(scenario()))


async def until(condition, timeout=30.0):
    """Let the loop run until condition() holds (a failure after `timeout` seconds, not a speed test)."""
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition did not come true while the loop ran")


def shown_line(panel):
    """The code in the line under the picture."""
    return html.unescape(re.search(r"<code>(.*)</code>", panel.settings_line.value).group(1))


# --- the controls show the settings, and the line recreates them -----------------------------------

def test_the_controls_show_the_settings_given():
    settings = dict(dataset="multigauss", noise=0.25, train_fraction=0.3, batch_size=7, features=["x1", "sin(x2)"],
                    hidden=[8, 1], activation="ReLU", lr=0.1, regularisation="L2", rate=0.003, show_test=True,
                    discretise=True, seed=4)
    panel = widgets.playground(**settings)
    values = {name: control.value for name, control in panel.controls.items()}
    assert values == {"problem": "regression", **{k: v for k, v in settings.items()
                                                   if k not in ("features", "hidden", "seed")}}
    assert [name for name, button in panel.feature_buttons.items() if button.value] == ["x1", "sin(x2)"]
    assert panel.feature_buttons["x1"].button_style == "info" and panel.feature_buttons["x2"].button_style == ""
    assert [option for _, option in panel.controls["dataset"].options] == ["plane", "multigauss"]
    assert panel.settings == Settings(**settings)
    assert [label.value for label in panel.layers_row.children[0].children[:1]] == ["H₁: 8"]


def test_the_settings_line_recreates_the_panel():
    panel = widgets.playground(dataset="xor", features=["x1*x2"], hidden=[], lr=0.01)
    panel.controls["noise"].value = 0.15
    panel.feature_buttons["x1"].value = True
    line = shown_line(panel)
    assert line == panel.settings.code() and "noise=0.15" in line and 'features=["x1", "x1*x2"]' in line
    again = eval(line, {"widgets": widgets})
    assert isinstance(again, PlaygroundPanel) and again.settings == panel.settings
    assert shown_line(again) == line


def test_the_panel_is_a_widget_with_its_picture():
    panel = widgets.playground()
    assert "application/vnd.jupyter.widget-view+json" in panel._repr_mimebundle_()
    assert "lecture-panel" in panel.widget._dom_classes
    assert panel.picture.view in panel.widget.children and bytes(panel.picture.data).startswith(b"\x89PNG")


# --- controls -> state ------------------------------------------------------------------------

@pytest.mark.parametrize("name, value", [("lr", 0.1), ("batch_size", 3), ("regularisation", "L2"), ("rate", 0.01),
                                         ("show_test", True), ("discretise", True)])
def test_training_and_display_settings_keep_the_network_and_its_steps(name, value):
    panel = widgets.playground()
    panel.state.train(20)
    net, png = panel.state.net, panel.picture.data
    panel.controls[name].value = value
    assert panel.state.net is net and panel.state.step == 20
    assert getattr(panel.settings, name) == value and f"{name}={value!r}".replace("'", '"') in shown_line(panel)
    if name in ("show_test", "discretise"):
        assert panel.picture.data != png  # the picture shows it at once


@pytest.mark.parametrize("name, value", [("dataset", "spiral"), ("noise", 0.2), ("train_fraction", 0.7),
                                         ("activation", "ReLU")])
def test_data_and_network_settings_start_afresh_and_redraw(name, value):
    panel = widgets.playground()
    panel.step_button.click()
    net, png = panel.state.net, panel.picture.data
    panel.controls[name].value = value
    assert panel.state.net is not net and panel.state.step == 0 and panel.picture.data != png
    key = panel.picture.figure.texts[0].get_text()
    assert key.startswith("activation: ReLU" if name == "activation" else "activation: tanh")


@pytest.mark.parametrize("change, settings", [
    (lambda panel: setattr(panel.controls["activation"], "value", "ReLU"), dict(activation="ReLU")),
    (lambda panel: setattr(panel.feature_buttons["x1^2"], "value", True), dict(features=["x1", "x2", "x1^2"])),
    (lambda panel: panel.add_layer_button.click(), dict(hidden=[4, 2, 2])),
    (lambda panel: [panel.remove_layer_button.click() for _ in range(2)], dict(hidden=[])),  # and the key line
    (lambda panel: [panel.neuron_buttons[0][1].click() for _ in range(4)], dict(hidden=[8, 2])),
])
def test_a_change_of_the_still_parts_draws_the_picture_of_the_new_settings(change, settings):
    panel = widgets.playground()
    change(panel)
    assert np.array_equal(pixels(panel.picture.data), pixels(widgets.playground(**settings).picture.data))


def test_the_problem_brings_its_own_data_sets():
    panel = widgets.playground()
    panel.controls["problem"].value = "regression"
    assert panel.settings.problem == "regression" and panel.settings.dataset == "plane"
    assert [option for _, option in panel.controls["dataset"].options] == ["plane", "multigauss"]
    assert panel.controls["dataset"].value == "plane" and panel.state.split.y_train.min() < -0.5
    panel.controls["problem"].value = "classification"
    assert panel.settings.dataset == "circle"


def test_features_go_on_and_off_but_never_all_off():
    panel = widgets.playground()
    panel.feature_buttons["x1^2"].value = True
    assert panel.settings.features == ("x1", "x2", "x1^2") and panel.state.net.layers[0].W.shape == (3, 4)
    panel.feature_buttons["x1"].value = False
    panel.feature_buttons["x2"].value = False
    panel.feature_buttons["x1^2"].value = False  # the last one: refused
    assert panel.settings.features == ("x1^2",) and panel.feature_buttons["x1^2"].value
    assert "choose at least one feature" in panel.status.value
    panel.feature_buttons["x2^2"].value = True
    assert panel.status.value == "" and panel.settings.features == ("x1^2", "x2^2")


def test_layers_come_and_go_up_to_six_and_neurons_up_to_eight():
    panel = widgets.playground()
    while not panel.add_layer_button.disabled:
        panel.add_layer_button.click()
    assert panel.settings.hidden == (4, 2, 2, 2, 2, 2) and len(panel.settings.hidden) == MAX_LAYERS
    panel.add_layer_button.click()  # a click on a disabled button (possible in code): refused
    assert len(panel.settings.hidden) == MAX_LAYERS and "at most 6 hidden layers" in panel.status.value
    assert len(panel.state.net.layers) == MAX_LAYERS + 1
    for _ in range(MAX_NEURONS):
        panel.neuron_buttons[0][1].click()  # + on H₁ (the buttons are made anew after each change)
    assert panel.settings.hidden[0] == MAX_NEURONS and panel.neuron_buttons[0][1].disabled
    assert "from 1 to 8; got 9" in panel.status.value
    panel.neuron_buttons[1][0].click()
    assert panel.settings.hidden[1] == 1 and panel.neuron_buttons[1][0].disabled
    while not panel.remove_layer_button.disabled:
        panel.remove_layer_button.click()
    assert panel.settings.hidden == () and [W.shape for W in (layer.W for layer in panel.state.net.layers)] == [(2, 1)]
    assert panel.layers_count.children[0].value == "no hidden layer:" and panel.layers_row.children == ()


def test_a_step_takes_one_step_and_changes_the_picture_and_the_readout():
    panel = widgets.playground()
    png = panel.picture.data
    assert "<b>step 0</b>" in panel.readout.value
    panel.step_button.click()
    assert panel.state.step == 1 and not panel.playing
    assert panel.picture.data != png and panel.picture.format == "png"
    evaluation = panel.state.evaluation()
    assert "<b>step 1</b>" in panel.readout.value
    assert f"ℒ: train {evaluation.train_loss:.3f} · test {evaluation.test_loss:.3f}" in panel.readout.value
    assert f"accuracy: train {evaluation.train_accuracy:.0%}" in panel.readout.value
    assert panel.picture.figure.texts[0].get_text().startswith("activation: tanh")  # no step in the picture


def test_reset_takes_the_next_seed_and_says_so():
    panel = widgets.playground()
    panel.step_button.click()
    panel.reset_button.click()
    assert panel.state.step == 0 and panel.settings.seed == 1 and "seed=1)" in shown_line(panel)


# --- play and pause ---------------------------------------------------------------------------

def test_play_trains_and_redraws_until_pause_and_then_nothing_moves():
    panel = widgets.playground()
    assert panel.play_button.description == "▶ play" and "play" in panel.play_button.tooltip

    async def scenario():
        panel.play_button.click()
        assert panel.playing and panel.play_button.description == "❚❚ pause"
        assert panel.play_button.tooltip == "pause"
        frames = panel.picture.frames
        await until(lambda: panel.picture.frames >= frames + 3)
        assert panel.picture.format == "jpeg"  # frames while moving
        panel.play_button.click()
        assert not panel.playing and panel.play_button.description == "▶ play"
        stopped = (panel.picture.frames, panel.state.step, panel.picture.data)
        await asyncio.sleep(0.3)
        return stopped

    frames, step, picture = run_loop(scenario)
    assert (panel.picture.frames, panel.state.step, panel.picture.data) == (frames, step, picture)
    assert panel.steps_per_frame == 10  # "10 steps of stochastic gradient descent between two pictures"
    assert step >= 3 * panel.steps_per_frame and step % panel.steps_per_frame == 0
    assert panel.picture.format == "png"  # the last frame again, as a still picture


def test_one_loop_per_panel():
    panel = widgets.playground()

    async def scenario():
        panel.play()
        task = panel._task
        panel.play()
        panel.play_button.click()  # pause
        panel.play_button.click()  # play again: a new loop, the old one is over
        await until(lambda: task.done())
        assert panel._task is not task and not panel._task.done()
        panel.pause()

    run_loop(scenario)


def test_the_controls_stay_usable_while_playing_and_changes_keep_playing():
    panel = widgets.playground()

    async def scenario():
        panel.play_button.click()
        await until(lambda: panel.state.step >= 30)
        panel.controls["dataset"].value = "xor"
        assert panel.state.step == 0 and panel.playing
        await until(lambda: panel.state.step >= 20)
        panel.feature_buttons["x1*x2"].value = True
        assert panel.state.step == 0 and panel.settings.features == ("x1", "x2", "x1*x2")
        await until(lambda: panel.state.step >= 20)
        panel.add_layer_button.click()
        assert panel.state.step == 0 and panel.settings.hidden == (4, 2, 2)
        await until(lambda: panel.state.step >= 20)
        panel.controls["lr"].value = 0.1
        step = panel.state.step
        await until(lambda: panel.state.step > step)  # η: the same network trains on
        assert panel.playing and panel.settings.lr == 0.1
        panel.pause()

    run_loop(scenario)


def test_a_new_panel_stops_the_old_one_and_play_pauses_the_others():
    async def scenario():
        first = widgets.playground()
        first.play()
        await until(lambda: first.state.step > 0)
        second = widgets.playground()  # the cell ran again
        assert not first.playing
        task = first._task
        assert task is None
        second.play()
        third = widgets.playground(dataset="xor")
        assert not second.playing
        third.play()
        await until(lambda: third.state.step > 0)
        first.play()
        assert not third.playing and first.playing
        first.close()
        assert not first.playing

    run_loop(scenario)


def test_an_error_in_the_loop_stops_it_and_is_shown():
    panel = widgets.playground()

    def broken(steps):
        raise ZeroDivisionError("a broken step")

    async def scenario():
        panel.state.train = broken
        panel.play()
        await until(lambda: not panel.playing)
        await asyncio.sleep(0)  # the done callback

    run_loop(scenario)
    assert isinstance(panel.error, ZeroDivisionError)
    assert "training stopped: ZeroDivisionError: a broken step" in panel.status.value
    assert panel.play_button.description == "▶ play"
    traceback_text = "".join(output["text"] for output in panel.errors.outputs)
    assert "Traceback" in traceback_text and "a broken step" in traceback_text


def test_a_diverging_network_pauses_itself_and_says_why():
    panel = widgets.playground(lr=3.0)

    async def scenario():
        panel.play()
        await until(lambda: not panel.playing)

    run_loop(scenario)
    assert panel.state.diverged and panel.error is None
    assert "ℒ diverged" in panel.status.value and panel.play_button.description == "▶ play"


def test_play_needs_an_event_loop():
    panel = widgets.playground()
    with pytest.raises(RuntimeError, match="needs a running event loop, as in a Jupyter kernel"):
        alone(panel.play)
    assert not panel.playing
