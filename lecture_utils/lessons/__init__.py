"""The computations of each notebook, numpy only: one module per notebook, named as its siblings in
`plots/`, `widgets/` and `checks/` are.

A lesson imports only the core (autograd, ops, nn, activations, gradcheck, graph, data, notation, seed,
plain) and the lessons of earlier notebooks (06's descent walks 01's ℒ(k, m)); plots, widgets and checks
import the lessons. Import the module you need, e.g. `from lecture_utils.lessons.descent import descent_run`.
"""
