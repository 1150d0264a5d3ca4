"""``boto_rs.dynamodb.conditions``: boto3's ``boto3.dynamodb.conditions``.

``Key``, ``Attr`` and the condition classes are plain data with boto3's
names, operators, ``get_expression()`` and equality; compiling them
(``ConditionExpressionBuilder``) is done by the native core
(``boto_resources::dynamodb::conditions``), which numbers the ``#n0``/``:v0``
placeholders exactly as boto3 does.
"""

from __future__ import annotations

import re
from collections import namedtuple

from boto_rs.boto3_exceptions import (DynamoDBNeedsConditionError,  # noqa: F401
                                      DynamoDBNeedsKeyConditionError,
                                      DynamoDBOperationNotSupportedError)

ATTR_NAME_REGEX = re.compile(r'[^.\[\]]+(?![^\[]*\])')


class ConditionBase:
    expression_format = ''
    expression_operator = ''
    has_grouped_values = False

    def __init__(self, *values):
        self._values = values

    def __and__(self, other):
        if not isinstance(other, ConditionBase):
            raise DynamoDBOperationNotSupportedError('AND', other)
        return And(self, other)

    def __or__(self, other):
        if not isinstance(other, ConditionBase):
            raise DynamoDBOperationNotSupportedError('OR', other)
        return Or(self, other)

    def __invert__(self):
        return Not(self)

    def get_expression(self):
        return {'format': self.expression_format, 'operator': self.expression_operator,
                'values': self._values}

    def __eq__(self, other):
        if isinstance(other, type(self)):
            if self._values == other._values:
                return True
        return False

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None  # boto3's conditions are unhashable too (they define __eq__)


class AttributeBase:
    def __init__(self, name):
        self.name = name

    def __and__(self, value):
        raise DynamoDBOperationNotSupportedError('AND', self)

    def __or__(self, value):
        raise DynamoDBOperationNotSupportedError('OR', self)

    def __invert__(self):
        raise DynamoDBOperationNotSupportedError('NOT', self)

    def eq(self, value):
        return Equals(self, value)

    def lt(self, value):
        return LessThan(self, value)

    def lte(self, value):
        return LessThanEquals(self, value)

    def gt(self, value):
        return GreaterThan(self, value)

    def gte(self, value):
        return GreaterThanEquals(self, value)

    def begins_with(self, value):
        return BeginsWith(self, value)

    def between(self, low_value, high_value):
        return Between(self, low_value, high_value)

    def __eq__(self, other):
        return isinstance(other, type(self)) and self.name == other.name

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


class ConditionAttributeBase(ConditionBase, AttributeBase):
    """A condition that is also an attribute (``size(...)``)."""

    def __init__(self, *values):
        ConditionBase.__init__(self, *values)
        AttributeBase.__init__(self, values[0].name)

    def __eq__(self, other):
        return ConditionBase.__eq__(self, other) and AttributeBase.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


class ComparisonCondition(ConditionBase):
    expression_format = '{0} {operator} {1}'


class Equals(ComparisonCondition):
    expression_operator = '='


class NotEquals(ComparisonCondition):
    expression_operator = '<>'


class LessThan(ComparisonCondition):
    expression_operator = '<'


class LessThanEquals(ComparisonCondition):
    expression_operator = '<='


class GreaterThan(ComparisonCondition):
    expression_operator = '>'


class GreaterThanEquals(ComparisonCondition):
    expression_operator = '>='


class In(ComparisonCondition):
    expression_operator = 'IN'
    has_grouped_values = True


class Between(ConditionBase):
    expression_operator = 'BETWEEN'
    expression_format = '{0} {operator} {1} AND {2}'


class BeginsWith(ConditionBase):
    expression_operator = 'begins_with'
    expression_format = '{operator}({0}, {1})'


class Contains(ConditionBase):
    expression_operator = 'contains'
    expression_format = '{operator}({0}, {1})'


class Size(ConditionAttributeBase):
    expression_operator = 'size'
    expression_format = '{operator}({0})'


class AttributeType(ConditionBase):
    expression_operator = 'attribute_type'
    expression_format = '{operator}({0}, {1})'


class AttributeExists(ConditionBase):
    expression_operator = 'attribute_exists'
    expression_format = '{operator}({0})'


class AttributeNotExists(ConditionBase):
    expression_operator = 'attribute_not_exists'
    expression_format = '{operator}({0})'


class And(ConditionBase):
    expression_operator = 'AND'
    expression_format = '({0} {operator} {1})'


class Or(ConditionBase):
    expression_operator = 'OR'
    expression_format = '({0} {operator} {1})'


class Not(ConditionBase):
    expression_operator = 'NOT'
    expression_format = '({operator} {0})'


class Key(AttributeBase):
    pass


class Attr(AttributeBase):
    """An attribute of an item (for filter and condition expressions)."""

    def ne(self, value):
        return NotEquals(self, value)

    def is_in(self, value):
        return In(self, value)

    def exists(self):
        return AttributeExists(self)

    def not_exists(self):
        return AttributeNotExists(self)

    def contains(self, value):
        return Contains(self, value)

    def size(self):
        return Size(self)

    def attribute_type(self, value):
        return AttributeType(self, value)


BuiltConditionExpression = namedtuple(
    'BuiltConditionExpression',
    ['condition_expression', 'attribute_name_placeholders', 'attribute_value_placeholders'],
)


def _values_in_order(condition, out):
    """The raw values of a condition, in the order the builder numbers them."""
    for v in condition._values:
        if isinstance(v, ConditionBase):
            _values_in_order(v, out)
        elif isinstance(v, AttributeBase):
            continue
        elif isinstance(condition, In) and isinstance(v, (list, tuple)):
            out.extend(v)
        else:
            out.append(v)
    return out


class ConditionExpressionBuilder:
    """Compiles conditions to expressions with ``#n0``/``:v0`` placeholders
    (the counters run on across calls until ``reset()``, as in boto3)."""

    def __init__(self):
        from boto_rs import _core
        self._core = _core.ConditionBuilder()

    def reset(self):
        self._core.reset()

    def build_expression(self, condition, is_key_condition=False):
        if not isinstance(condition, ConditionBase):
            raise DynamoDBNeedsConditionError(condition)
        from boto_rs import _core
        try:
            expr, names, values = self._core.build(condition, is_key_condition)
        except _core.CoreError as e:
            raise DynamoDBNeedsKeyConditionError(e.args[1]) from None
        raw = _values_in_order(condition, [])
        if len(raw) == len(values):  # the values as given, not as converted
            values = [(k, r) for (k, _), r in zip(values, raw)]
        return BuiltConditionExpression(
            condition_expression=expr, attribute_name_placeholders=dict(names),
            attribute_value_placeholders=dict(values))
