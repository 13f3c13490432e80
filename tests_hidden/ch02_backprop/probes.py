"""Hidden probes for ch02_backprop (the public probes, plus the no-torch policy probe)."""
from tests_public.ch02_backprop.probes import *  # noqa: F401,F403 — the grader ships both modules


def module_imports():
    """Every module ``xor_nn.py`` imports (from its source, any depth) and the modules bound in its namespace."""
    import ast
    import inspect
    import types

    from ch02_backprop import xor_nn

    tree = ast.parse(inspect.getsource(xor_nn))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "__import__", "import_module"):
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    bound = {v.__name__ for v in vars(xor_nn).values() if isinstance(v, types.ModuleType)}
    bound |= {getattr(v, "__module__", "") or "" for v in vars(xor_nn).values() if callable(v)}
    return {"imports": sorted(names), "bound": sorted(b for b in bound if b)}
