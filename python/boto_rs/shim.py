"""``boto_rs.shim``: run unmodified ``import boto3`` / ``import botocore...`` code on boto_rs.

Three ways, from least to most global:

* in code, before anything imports boto3::

      import boto_rs.shim
      boto_rs.shim.install_as_boto3()

* a runner, for a script or module that you do not want to touch::

      python -m boto_rs.shim my_script.py args...
      python -m boto_rs.shim -m my_package.main args...

* an environment switch, for a whole process tree (subprocesses too)::

      export PYTHONPATH="$(python -m boto_rs.shim --path)${PYTHONPATH:+:$PYTHONPATH}"

  ``--path`` prints a directory holding two tiny ``boto3`` and ``botocore``
  packages that install the shim when imported (written on first use under
  ``$XDG_CACHE_HOME/boto_rs``, or ``~/.cache/boto_rs``). Being first on the
  path, they also shadow an installed boto3/botocore.

What the aliases are (``sys.modules`` entries, resolved on import by a meta
path finder, so nothing is loaded before it is used): ``boto3`` is the
``boto_rs`` module itself (``boto3.client``, ``boto3.Session``,
``boto3.resource``, ``setup_default_session`` ... patching ``boto3.client``
with ``unittest.mock`` patches boto_rs's), ``boto3.X`` is ``boto_rs.X``
(``boto3.session``, ``boto3.dynamodb.conditions``, ``boto3.dynamodb.types``,
``boto3.s3.transfer``; ``boto3.exceptions`` is ``boto_rs.boto3_exceptions``).
``botocore`` is a small package module (``__version__``, ``UNSIGNED``) whose
``exceptions``, ``config``, ``stub``, ``response``, ``client``, ``paginate``
and ``waiter`` are boto_rs's modules of the same role. Other botocore
modules (``botocore.session``, ``botocore.credentials``, the event system)
are not provided: importing them raises ``ImportError``.

With ``install_as_boto3(botocore=None)`` (the default) botocore is aliased only
when the real botocore is not installed; when it is, boto_rs's exceptions
already derive from botocore's (see ``boto_rs.exceptions``) and other
libraries keep their real botocore.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict, List, Optional

BOTOCORE_MODULES = ('exceptions', 'config', 'stub', 'response', 'client', 'paginate', 'waiter')
_BOTO3_RENAMES = {'boto3.exceptions': 'boto_rs.boto3_exceptions'}


def _target(fullname: str, with_botocore: bool) -> Optional[str]:
    """The boto_rs module that stands for ``fullname``, if any."""
    if fullname == 'boto3':
        return 'boto_rs'
    if fullname.startswith('boto3.'):
        return _BOTO3_RENAMES.get(fullname, 'boto_rs.' + fullname[len('boto3.'):])
    if with_botocore and fullname.startswith('botocore.'):
        rest = fullname[len('botocore.'):]
        if rest in BOTOCORE_MODULES:
            return 'boto_rs.' + rest
    return None


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: Any) -> Any:
        module = importlib.import_module(self.target)
        self._own_spec = module.__spec__
        return module

    def exec_module(self, module: Any) -> None:
        # The import system stamped the alias's spec on the module: give it its own back.
        module.__spec__ = self._own_spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Answers imports of ``boto3[.X]`` (and ``botocore.X``) with boto_rs's modules."""

    def __init__(self, with_botocore: bool) -> None:
        self.with_botocore = with_botocore

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        name = _target(fullname, self.with_botocore)
        if name is None:
            return None
        if name != 'boto_rs' and importlib.util.find_spec(name) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(name))


def _botocore_module() -> types.ModuleType:
    """The ``botocore`` package module of the shim."""
    from boto_rs import _core
    from boto_rs._sentinel import UNSIGNED

    mod = types.ModuleType('botocore', 'boto_rs standing in for botocore (boto_rs.shim).')
    mod.__path__ = []  # a package: its submodules come from the finder
    mod.__version__ = _core.BOTOCORE_VERSION
    mod.UNSIGNED = UNSIGNED
    mod._BOTO_RS = True

    def __getattr__(name: str) -> Any:
        if name in BOTOCORE_MODULES:
            return importlib.import_module('botocore.' + name)
        raise AttributeError(f"module 'botocore' has no attribute '{name}'")

    mod.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return mod


def _real_botocore_installed() -> bool:
    mod = sys.modules.get('botocore')
    if mod is not None:
        return not getattr(mod, '_BOTO_RS', False)
    try:
        return importlib.util.find_spec('botocore') is not None
    except (ImportError, ValueError):
        return False


def install_as_boto3(botocore: Optional[bool] = None) -> None:
    """Makes ``import boto3`` (and ``import botocore.exceptions`` ...) load boto_rs.

    ``botocore``: ``True`` aliases the botocore modules too, ``False`` never,
    ``None`` only when the real botocore is not installed. Call it before the
    code that imports boto3; a boto3 imported earlier is replaced in
    ``sys.modules`` (modules holding the old one keep it). Idempotent.
    """
    import boto_rs
    with_botocore = (not _real_botocore_installed()) if botocore is None else bool(botocore)
    for finder in sys.meta_path:
        if isinstance(finder, _AliasFinder):
            finder.with_botocore = finder.with_botocore or with_botocore
            break
    else:
        sys.meta_path.insert(0, _AliasFinder(with_botocore))
    for name in [n for n in sys.modules if n == 'boto3' or n.startswith('boto3.')]:
        if not _is_ours(sys.modules[name]):
            del sys.modules[name]
    sys.modules['boto3'] = boto_rs
    if with_botocore:
        current = sys.modules.get('botocore')
        if current is None or not getattr(current, '_BOTO_RS', False):
            for name in [n for n in sys.modules if n == 'botocore' or n.startswith('botocore.')]:
                del sys.modules[name]
            sys.modules['botocore'] = _botocore_module()


def _is_ours(module: Any) -> bool:
    return getattr(module, '__name__', '').startswith('boto_rs') or \
        getattr(module, '_BOTO_RS', False)


install = install_as_boto3

_SHIM_INIT = '''"""Written by `python -m boto_rs.shim --path`: {name} is boto_rs here (see boto_rs.shim)."""
import boto_rs.shim
boto_rs.shim.install_as_boto3(botocore=True)  # replaces this module in sys.modules
'''


def path(directory: Optional[str] = None) -> str:
    """A directory with ``boto3``/``botocore`` packages that install the shim; put it first on
    ``PYTHONPATH``. Written (once per boto_rs version) under the user's cache directory."""
    from boto_rs import __version__
    if directory is None:
        cache = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
        directory = os.path.join(cache, 'boto_rs', f'shim-{__version__}')
    for name in ('boto3', 'botocore'):
        pkg = os.path.join(directory, name)
        init = os.path.join(pkg, '__init__.py')
        text = _SHIM_INIT.format(name=name)
        try:
            with open(init) as f:
                if f.read() == text:
                    continue
        except OSError:
            pass
        os.makedirs(pkg, exist_ok=True)
        tmp = f'{init}.{os.getpid()}.tmp'
        with open(tmp, 'w') as f:
            f.write(text)
        os.replace(tmp, init)
    return directory


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m boto_rs.shim [--path [DIR]] | [-m module | script] [args...]``."""
    import runpy
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ('-h', '--help'):
        print('usage: python -m boto_rs.shim script.py [args...]\n'
              '       python -m boto_rs.shim -m module [args...]\n'
              '       python -m boto_rs.shim --path [DIR]   (a PYTHONPATH entry for the shim)')
        return 0 if args else 2
    if args[0] == '--path':
        print(path(args[1] if len(args) > 1 else None))
        return 0
    install_as_boto3()
    if args[0] == '-m':
        if len(args) < 2:
            print('boto_rs.shim: -m needs a module name', file=sys.stderr)
            return 2
        sys.argv = args[1:]
        runpy.run_module(args[1], run_name='__main__', alter_sys=True)
    else:
        sys.argv = args
        sys.path.insert(0, os.path.dirname(os.path.abspath(args[0])))
        runpy.run_path(args[0], run_name='__main__')
    return 0


if __name__ == '__main__':
    from boto_rs.shim import main as _main  # one copy of this module, not __main__'s
    sys.exit(_main())
