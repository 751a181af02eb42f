"""Back to Backprop: the package the lecture's notebooks share.

The core (`autograd`, `nn`, `gradcheck`) needs only numpy; `plots` and `widgets`
import matplotlib and ipywidgets and are imported on their own:

    from lecture_utils import Tensor, Add, Sub, Mul, ReLU, T, set_seed
    from lecture_utils import plots, widgets
"""

__version__ = "0.2.0"

from .autograd import Add, Mean, Mul, ReLU, Scale, Sigmoid, Square, Sub, Sum, T, Tanh, Tensor, zero_grad
from .gradcheck import check_gradients, numerical_gradient, rel_error
from .nn import MLP, SGD, Linear, mse
from .seed import set_seed

__all__ = [
    "__version__", "Tensor", "Add", "Sub", "Mul", "ReLU", "T", "Scale", "Sum", "Mean", "Square", "Sigmoid", "Tanh",
    "zero_grad", "check_gradients", "numerical_gradient", "rel_error",
    "Linear", "MLP", "SGD", "mse", "set_seed",
]
