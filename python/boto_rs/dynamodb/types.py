"""``boto_rs.dynamodb.types``: boto3's ``boto3.dynamodb.types``.

``TypeSerializer``/``TypeDeserializer`` convert between Python values and
DynamoDB's wire ``AttributeValue`` in the native core
(``boto_resources::dynamodb::types``), with boto3's rules: ``int`` and
``Decimal`` are numbers (at most 38 digits, exact, never a float — ``float``
raises ``TypeError``), ``bytes``/``bytearray``/``Binary`` are binary, sets
are ``SS``/``NS``/``BS``. Numbers come back as ``Decimal``, binaries as
``Binary``, sets as ``set``.
"""

from __future__ import annotations

from decimal import (Clamped, Context, Decimal, Inexact, Overflow, Rounded,  # noqa: F401
                     Underflow)

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict

STRING = 'S'
NUMBER = 'N'
BINARY = 'B'
STRING_SET = 'SS'
NUMBER_SET = 'NS'
BINARY_SET = 'BS'
NULL = 'NULL'
BOOLEAN = 'BOOL'
MAP = 'M'
LIST = 'L'

DYNAMODB_CONTEXT = Context(
    Emin=-128, Emax=126, prec=38,
    traps=[Clamped, Overflow, Inexact, Rounded, Underflow],
)

BINARY_TYPES = (bytearray, bytes)


class Binary:
    """A binary value, so that DynamoDB's ``B`` type survives a round trip
    (boto3's ``Binary``: wraps ``bytes``/``bytearray``, equal to its bytes)."""

    __slots__ = ('value',)

    def __init__(self, value: Any) -> None:
        if not isinstance(value, BINARY_TYPES):
            types = ', '.join([str(t) for t in BINARY_TYPES])
            raise TypeError(f'Value must be of the following types: {types}')
        self.value = value

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Binary):
            return self.value == other.value
        return self.value == other

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __repr__(self) -> str:
        return f'Binary({self.value!r})'

    def __str__(self) -> str:
        return self.value

    def __bytes__(self) -> bytes:
        return bytes(self.value)

    def __hash__(self) -> int:
        return hash(self.value)


class TypeSerializer:
    """Python value → DynamoDB ``AttributeValue`` dict (``{'N': '1'}``)."""

    def serialize(self, value: Any) -> Dict[str, Any]:
        from boto_rs import _core
        return _core.dynamodb_serialize(value)


class TypeDeserializer:
    """DynamoDB ``AttributeValue`` dict → Python value (``Decimal('1')``)."""

    def deserialize(self, value: Dict[str, Any]) -> Any:
        if not value:
            raise TypeError('Value must be a nonempty dictionary whose key '
                            'is a valid dynamodb type.')
        from boto_rs import _core
        return _core.dynamodb_deserialize(value)
