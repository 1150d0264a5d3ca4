"""DynamoDB's high-level layer: boto3 vs boto_rs on moto — TypeSerializer
round trips, condition expressions, Table CRUD with conditions, query/scan
pagination, batch_writer (with overwrite_by_pkeys)."""

from __future__ import annotations

import decimal
from decimal import Decimal

from conftest import ENDPOINT, run_both

import boto3
import boto_rs


def mods(lib):
    if lib is boto3:
        from boto3.dynamodb import conditions, types
    else:
        from boto_rs.dynamodb import conditions, types
    return conditions, types


def plain(v):
    """Decimals, sets and Binary in a comparable form (the classes differ by library)."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return ['set'] + sorted((plain(x) for x in v), key=repr)
    if isinstance(v, Decimal):
        return ['Decimal', str(v)]
    if type(v).__name__ == 'Binary':
        return ['Binary', bytes(v.value)]
    return v


# bytearray is left out: boto3 passes it through ({'B': bytearray(...)}), boto_rs sends bytes.
VALUES = [
    1, -5, 0, 10**37, Decimal('1.10'), Decimal('-0.0001'), Decimal('1E+5'), 'text', '', b'\x00\x01',
    True, False, None, [1, 'a', [None]], ('t', 2), {'m': {'n': Decimal('2.5')}},
    {'a', 'b'}, {1, 2, Decimal('3.5')}, {b'x', b'y'}, frozenset({'f'}),
]
BAD = [1.5, {1, 'a'}, object(), Decimal('NaN'), Decimal('1' * 39), 10**40]


def test_type_serializer_round_trips():
    def scenario(lib, p):
        _, types = mods(lib)
        ser, de = types.TypeSerializer(), types.TypeDeserializer()
        out = {'ok': [], 'bad': []}
        for v in VALUES + [types.Binary(b'bin')]:
            wire = ser.serialize(v)
            out['ok'].append([plain(wire), plain(de.deserialize(wire))])
        for v in BAD:
            try:
                ser.serialize(v)
                out['bad'].append('accepted')
            except (TypeError, ValueError, decimal.DecimalException) as e:
                out['bad'].append(type(e).__name__ if not isinstance(e, decimal.DecimalException)
                                  else 'DecimalException')
        b = types.Binary(b'abc')
        out['binary'] = [b == b'abc', b == types.Binary(b'abc'), repr(b), bytes(b),
                         hash(b) == hash(b'abc')]
        return out

    out = run_both(scenario)
    assert len(out['ok']) == len(VALUES) + 1


def test_condition_expressions():
    def scenario(lib, p):
        conditions, _ = mods(lib)
        Key, Attr = conditions.Key, conditions.Attr
        builder = conditions.ConditionExpressionBuilder()
        conds = [
            (Key('pk').eq(1) & Key('sk').begins_with('a'), True),
            (Key('pk').eq('x') & Key('sk').between(1, 9), True),
            (Attr('x').begins_with('a') | ~Attr('y').exists(), False),
            (Attr('a.b[1].c').gt(Decimal('2.5')) & Attr('n').size().lte(4), False),
            (Attr('s').is_in(['a', 'b', 'c']) & Attr('t').attribute_type('S'), False),
            (Attr('l').contains('v') & Attr('z').not_exists() & Attr('q').ne(None), False),
        ]
        out = []
        for cond, key in conds:
            built = builder.build_expression(cond, is_key_condition=key)
            out.append([built.condition_expression, built.attribute_name_placeholders,
                        plain(built.attribute_value_placeholders)])
        builder.reset()
        built = builder.build_expression(Attr('again').eq(1))
        out.append(list(built))
        out.append([Key('a').eq(1) == Key('a').eq(1), Key('a').eq(1) == Key('a').eq(2),
                    Attr('a') == Attr('a'), Key('a').eq(1).get_expression()['operator']])
        for bad in (lambda: Key('a') & Key('b'), lambda: Key('a').eq(1) & 'x',
                    lambda: builder.build_expression('x'),
                    lambda: builder.build_expression(Attr('a').eq(1), is_key_condition=True)):
            try:
                bad()
                out.append('accepted')
            except Exception as e:  # noqa: BLE001 - boto3's exception class names
                out.append(type(e).__name__)
        return out

    run_both(scenario)


def _create_table(ddb, name):
    table = ddb.create_table(
        TableName=name,
        KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'},
                   {'AttributeName': 'sk', 'KeyType': 'RANGE'}],
        AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'},
                              {'AttributeName': 'sk', 'AttributeType': 'N'}],
        BillingMode='PAY_PER_REQUEST')
    table.wait_until_exists()
    return table


def test_table_crud_conditions_and_pagination():
    def scenario(lib, p):
        conditions, types = mods(lib)
        Key, Attr = conditions.Key, conditions.Attr
        ddb = lib.resource('dynamodb', endpoint_url=ENDPOINT, region_name='us-east-1')
        table = _create_table(ddb, f'{p}-crud')
        out = {'table': [repr(table), table.name, table.table_status, table.key_schema]}
        item = {'pk': 'a', 'sk': 1, 'price': Decimal('9.99'), 'tags': {'x', 'y'},
                'nums': {1, 2}, 'blob': types.Binary(b'\x00z'), 'nested': {'l': [1, 'two', None]},
                'flag': True}
        out['put'] = plain(table.put_item(Item=item))
        out['get'] = plain(table.get_item(Key={'pk': 'a', 'sk': 1}))
        out['missing'] = plain(table.get_item(Key={'pk': 'a', 'sk': 99}))
        out['update'] = plain(table.update_item(
            Key={'pk': 'a', 'sk': 1}, UpdateExpression='SET price = price + :d, #c = :c',
            ExpressionAttributeNames={'#c': 'color'},
            ExpressionAttributeValues={':d': Decimal('0.01'), ':c': 'red'},
            ConditionExpression=Attr('flag').eq(True) & Attr('price').lt(100),
            ReturnValues='ALL_NEW'))
        try:
            table.put_item(Item={'pk': 'a', 'sk': 1}, ConditionExpression=Attr('pk').not_exists())
        except Exception as e:  # noqa: BLE001 - compared below
            out['cond_fail'] = [type(e).__name__, e.response['Error']['Code']]
        for i in range(2, 12):
            table.put_item(Item={'pk': 'b', 'sk': i, 'even': i % 2 == 0, 'name': f'n{i}'})
        out['query'] = plain(table.query(KeyConditionExpression=Key('pk').eq('b') & Key('sk').gte(5),
                                         FilterExpression=Attr('even').eq(True)))
        pages, start = [], None
        while True:
            kw = {'KeyConditionExpression': Key('pk').eq('b'), 'Limit': 4}
            if start:
                kw['ExclusiveStartKey'] = start
            page = table.query(**kw)
            pages.append(plain(page['Items']))
            start = page.get('LastEvaluatedKey')
            if not start:
                break
        out['query_pages'] = pages
        out['scan'] = plain(table.scan(FilterExpression=Attr('name').begins_with('n1'),
                                       ProjectionExpression='sk, #n',
                                       ExpressionAttributeNames={'#n': 'name'}))
        out['scan_pages'] = [len(plain(table.scan(Limit=5)['Items']))]
        out['delete'] = plain(table.delete_item(Key={'pk': 'b', 'sk': 2}, ReturnValues='ALL_OLD'))
        out['batch_get'] = plain(ddb.batch_get_item(RequestItems={
            f'{p}-crud': {'Keys': [{'pk': 'b', 'sk': 3}, {'pk': 'a', 'sk': 1}]}}))
        out['batch_get']['Responses'][f'{p}-crud'].sort(key=lambda i: repr(i))
        table.reload()
        out['count'] = table.item_count
        table.delete()
        return out

    run_both(scenario)


def test_batch_writer():
    def scenario(lib, p):
        ddb = lib.resource('dynamodb', endpoint_url=ENDPOINT, region_name='us-east-1')
        table = _create_table(ddb, f'{p}-bw')
        with table.batch_writer() as bw:
            for i in range(60):
                bw.put_item(Item={'pk': 'w', 'sk': i, 'v': Decimal(i) / 4})
            bw.delete_item(Key={'pk': 'w', 'sk': 0})
        with table.batch_writer(overwrite_by_pkeys=['pk', 'sk']) as bw:
            for i in range(5):
                bw.put_item(Item={'pk': 'o', 'sk': 1, 'round': i})
            bw.put_item(Item={'pk': 'o', 'sk': 2, 'round': 0})
            bw.delete_item(Key={'pk': 'o', 'sk': 2})
        if lib is boto3:
            from boto3.dynamodb.table import BatchWriter
        else:
            from boto_rs.dynamodb.table import BatchWriter
        with BatchWriter(table.name, table.meta.client, flush_amount=10) as bw:
            for i in range(12):
                bw.put_item(Item={'pk': 'f', 'sk': i})
        items = []
        kw = {}
        while True:
            page = table.scan(**kw)
            items += page['Items']
            if 'LastEvaluatedKey' not in page:
                break
            kw['ExclusiveStartKey'] = page['LastEvaluatedKey']
        items.sort(key=lambda i: (i['pk'], i['sk']))
        table.delete()
        return {'n': len(items), 'items': plain(items[:3] + items[-2:])}

    out = run_both(scenario)
    assert out['n'] == ('int', 72)
