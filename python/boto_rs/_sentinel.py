"""``UNSIGNED``: botocore's sentinel for ``Config(signature_version=UNSIGNED)``.

Kept in its own module so ``boto_rs`` and ``boto_rs.config`` share one object;
when botocore is importable its own ``botocore.UNSIGNED`` is accepted too
(see ``config.py``).
"""


class _Unsigned:
    def __copy__(self):
        return self

    def __deepcopy__(self, memodict):
        return self

    def __repr__(self) -> str:
        return 'UNSIGNED'


UNSIGNED = _Unsigned()


def is_unsigned(value) -> bool:
    """True for boto_rs's UNSIGNED and for botocore's (without importing botocore)."""
    if value is UNSIGNED:
        return True
    cls = type(value)
    return cls.__name__ == 'UNSIGNED' and cls.__module__ == 'botocore'
