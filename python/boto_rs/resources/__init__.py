"""Resources: boto3's ``boto3.resources`` (``ResourceFactory``, ``ServiceResource``,
``ResourceCollection``, ``CollectionManager``, ``ResourceMeta``) on the native core.

The work is done by ``boto_resources`` (Rust) through ``_core.CoreResource``:
identifiers, lazily loaded attributes (loaded once, shared by every copy of
a resource), actions, references, sub-resources, collections with
pagination and batch actions, waiters. This module gives each resource
class boto3's Python shape: a class per model class (``s3.Bucket``) with
identifiers and attributes as properties, actions, sub-resources and
waiters as methods, collections as ``CollectionManager`` properties, and
``meta`` (``client``, ``data``, ``identifiers``, ``service_name``).
Unlike boto3's, resources may be shared by threads. ``boto_rs.resources.base`` and
``boto_rs.resources.collection`` hold the classes under boto3's module names.
"""

from __future__ import annotations

import threading
TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict, Iterator, List, Optional

from boto_rs import _core
from boto_rs.client import translate


def _raise(e: Any, client: Any) -> Exception:
    return translate(e, client, '')


class ResourceMeta:
    """``resource.meta``: the client, the loaded data, the identifier names."""

    def __init__(self, service_name: str, identifiers: List[str], client: Any, core: Any) -> None:
        self.service_name = service_name
        self.identifiers = identifiers
        self.client = client
        self._core = core

    @property
    def data(self) -> Optional[Dict[str, Any]]:
        return self._core.data()

    @data.setter
    def data(self, value: Optional[Dict[str, Any]]) -> None:
        self._core.set_data(value)

    def __repr__(self) -> str:
        return f'ResourceMeta({self.service_name!r}, identifiers={self.identifiers!r})'

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, ResourceMeta) and self._core == other._core


class ServiceResource:
    """The base of every resource class (boto3's ``boto3.resources.base.ServiceResource``)."""

    meta: ResourceMeta

    def __init__(self, core: Any, client: Any) -> None:
        self._core = core
        self._bound = client._core
        ids = core.identifiers()
        self._ids = dict(ids)
        self.meta = ResourceMeta(core.service_name, [k for k, _ in ids], client, core)

    def __repr__(self) -> str:
        return repr(self._core)

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, ServiceResource):
            return NotImplemented
        return self._core == other._core

    def __hash__(self) -> int:
        return hash(self._core)

    def get_available_subresources(self) -> List[str]:
        return sorted(self._info['subresources'])

    # Helpers for generated members and customizations.
    def _wrap(self, out: Any) -> Any:
        return wrap(out, self.meta.client)

    def _do(self, method: str, *args: Any) -> Any:
        """Calls a method of the native resource, translating its errors."""
        try:
            return getattr(self._native(), method)(*args)
        except _core.CoreError as e:
            raise _raise(e, self.meta.client) from None

    def _do_collection(self, coll: Any, method: str, *args: Any) -> Any:
        try:
            return getattr(coll, method)(*args)
        except _core.CoreError as e:
            raise _raise(e, self.meta.client) from None

    def _native(self) -> Any:
        """The native resource, rebound when ``meta.client`` now runs on another
        native client (a ``Stubber`` was activated or deactivated on it), so
        resource calls go where client calls go, as in boto3."""
        current = self.meta.client._core
        if current is not self._bound:
            service = _core.resource_from_client(current)
            core = self._core
            if core.is_service:
                new = service
            else:
                new = service.resource(core.resource_name, [v for _, v in core.identifiers()])
            new.set_data(core.data())
            self._core = self.meta._core = new
            self._bound = current
        return self._core


def wrap(out: Any, client: Any) -> Any:
    """A native result as Python: resources get their class, lists are mapped."""
    if isinstance(out, _core.CoreResource):
        return make_resource(out, client)
    if isinstance(out, list) and out and isinstance(out[0], _core.CoreResource):
        return [make_resource(r, client) for r in out]
    return out


class ResourceCollection:
    """An iterable, lazily paginated collection (``bucket.objects.filter(...)``)."""

    def __init__(self, parent: ServiceResource, core: Any, name: str) -> None:
        self._parent = parent
        self._core = core
        self._name = name
        for action in core.batch_action_names():
            if not hasattr(type(self), action):
                setattr(self, action, self._batch(action))

    def _batch(self, action: str):
        def batch_action(**kwargs: Any) -> List[Any]:
            out = self._parent._do_collection(self._core, 'batch_action', action, kwargs)
            return [self._parent._wrap(o) for o in out]
        batch_action.__name__ = action
        return batch_action

    def __repr__(self) -> str:
        # boto3's: s3.Bucket.objectsCollection(s3.Bucket(name='b'), s3.ObjectSummary)
        parent = self._parent
        owner = parent.meta.service_name if not parent.meta.identifiers and \
            repr(parent).endswith('.ServiceResource()') else type(parent).__name__
        tail = repr(self._core).split('Collection(', 1)[-1]
        return f'{owner}.{self._name}{self._kind}({tail}'

    _kind = 'Collection'

    def _clone(self, core: Any) -> 'ResourceCollection':
        return ResourceCollection(self._parent, core, self._name)

    def __iter__(self) -> Iterator[Any]:
        for page in self.pages():
            yield from page

    def pages(self) -> Iterator[List[Any]]:
        """The items a page (one request) at a time."""
        it = self._core.pages()
        client = self._parent.meta.client
        while True:
            try:
                page = next(it)
            except StopIteration:
                return
            except _core.CoreError as e:
                raise _raise(e, client) from None
            yield [make_resource(r, client) for r in page]

    def all(self) -> 'ResourceCollection':
        return self._clone(self._core)

    def filter(self, **kwargs: Any) -> 'ResourceCollection':
        return self._clone(self._core.filter(kwargs))

    def limit(self, count: int) -> 'ResourceCollection':
        return self._clone(self._core.limit(int(count)))

    def page_size(self, count: int) -> 'ResourceCollection':
        return self._clone(self._core.page_size(int(count)))


class CollectionManager(ResourceCollection):
    """``bucket.objects``: the collection's entry point (iterating it is ``all()``)."""

    _kind = 'CollectionManager'

    def iterator(self, **kwargs: Any) -> ResourceCollection:
        return self.filter(**kwargs)


_CLASSES: Dict[str, type] = {}
_LOCK = threading.Lock()
# Per class customizations (boto3's injected methods): class name -> mixin.
CUSTOMIZATIONS: Dict[str, type] = {}


def _register_customizations() -> None:
    if CUSTOMIZATIONS:
        return
    from boto_rs.s3.inject import BucketMixin, ObjectMixin, ObjectSummaryMixin
    from boto_rs.dynamodb.table import ServiceMixin, TableMixin
    CUSTOMIZATIONS.update({
        's3.Bucket': BucketMixin, 's3.Object': ObjectMixin,
        's3.ObjectSummary': ObjectSummaryMixin, 's3.ObjectVersion': ObjectSummaryMixin,
        'dynamodb.Table': TableMixin, 'dynamodb.ServiceResource': ServiceMixin,
    })


def _identifier(name: str):
    return property(lambda self: self._ids[name], doc=f'Identifier {name} (no call).')


def _attribute(name: str, can_load: bool):
    def get(self: ServiceResource) -> Any:
        if not can_load and self._core.data() is None:
            from boto_rs.boto3_exceptions import ResourceLoadException
            raise ResourceLoadException(f'{type(self).__name__} has no load method')
        return self._do('attr', name)
    return property(get, doc=f'Attribute {name}; loads the resource on first access.')


def _action(name: str):
    def action(self: ServiceResource, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError(f'{name}() only accepts keyword arguments.')
        return self._wrap(self._do('action', name, kwargs))
    action.__name__ = name
    return action


def _reference(name: str):
    def get(self: ServiceResource) -> Any:
        return self._wrap(self._do('reference', name))
    return property(get, doc=f'Reference {name} (a related resource).')


def _subresource(name: str, inputs: List[str]):
    def sub(self: ServiceResource, *args: Any, **kwargs: Any) -> Any:
        values = list(args)
        for n in inputs[len(values):]:
            if n not in kwargs:
                raise ValueError(f'Required parameter {n} not set')
            values.append(kwargs.pop(n))
        if kwargs:
            raise TypeError(f'{name}() got unexpected arguments: {", ".join(sorted(kwargs))}')
        if len(values) != len(inputs):
            raise ValueError(f'{name}() takes {len(inputs)} identifiers ({", ".join(inputs)}), '
                             f'got {len(values)}')
        return self._wrap(self._do('subresource', name, values))
    sub.__name__ = name
    return sub


def _collection(name: str):
    def get(self: ServiceResource) -> CollectionManager:
        return CollectionManager(self, self._do('collection', name), name)
    return property(get, doc=f'Collection {name}.')


def _waiter(name: str):
    def wait(self: ServiceResource, *args: Any, **kwargs: Any) -> None:
        if args:
            raise TypeError(f'{name}() only accepts keyword arguments.')
        self._do('wait_until', name, kwargs)
    wait.__name__ = name
    return wait


def _load(self: ServiceResource) -> None:
    self._do('load')


def _class_for(core: Any) -> type:
    key = core.class_name
    cls = _CLASSES.get(key)
    if cls is not None:
        return cls
    with _LOCK:
        cls = _CLASSES.get(key)
        if cls is not None:
            return cls
        _register_customizations()
        info = core.class_info()
        ns: Dict[str, Any] = {'_info': info, '__module__': 'boto_rs.resources'}
        for n in info['identifiers']:
            ns[n] = _identifier(n)
        for n in info['attributes']:
            ns.setdefault(n, _attribute(n, info['can_load']))
        for n in info['actions']:
            ns[n] = _action(n)
        for n in info['references']:
            ns[n] = _reference(n)
        for n in info['subresources']:
            ns[n] = _subresource(n, core.subresource_inputs(n))
        for n, _batch in info['collections']:
            ns[n] = _collection(n)
        for n in info['waiters']:
            ns[n] = _waiter(n)
        if info['can_load']:
            ns['load'] = _load
        if info['model_load']:
            ns['reload'] = _load
        mixin = CUSTOMIZATIONS.get(key)
        bases: tuple = (ServiceResource,)
        if mixin is not None:
            for n in list(ns):
                if n in vars(mixin):
                    del ns[n]
            bases = (mixin, ServiceResource)
        cls = type(key, bases, ns)
        cls.__qualname__ = key
        _CLASSES[key] = cls
        return cls


def make_resource(core: Any, client: Any) -> ServiceResource:
    """A Python resource object for a native resource."""
    return _class_for(core)(core, client)


def service_resource(client: Any) -> ServiceResource:
    """The service resource on ``client`` (``Session.resource``)."""
    try:
        core = _core.resource_from_client(client._core)
    except _core.CoreError as e:
        raise _raise(e, client) from None
    return make_resource(core, client)


def available_resources() -> List[str]:
    return sorted(_core.resource_services())
