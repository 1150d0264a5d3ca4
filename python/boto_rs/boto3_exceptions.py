"""boto3's own exceptions (``boto3.exceptions``), for the resource, transfer and
DynamoDB layers. botocore's are in ``boto_rs.exceptions``."""

from __future__ import annotations

from boto_rs.exceptions import DataNotFoundError


class Boto3Error(Exception):
    """Base class for all boto3 errors."""


class ResourceLoadException(Boto3Error):
    pass


class NoVersionFound(Boto3Error):
    pass


class RetriesExceededError(Boto3Error):
    def __init__(self, last_exception: Exception, msg: str = 'Max Retries Exceeded') -> None:
        super().__init__(msg)
        self.last_exception = last_exception


class S3TransferFailedError(Boto3Error):
    pass


class S3UploadFailedError(Boto3Error):
    pass


class DynamoDBOperationNotSupportedError(Boto3Error):
    """Raised for operations that are not supported for an operand."""

    def __init__(self, operation: str, value: object) -> None:
        msg = (f'{operation} operation cannot be applied to value {value} of type '
               f'{type(value)} directly. Must use AttributeBase object methods '
               f'(i.e. Attr().eq()). to generate ConditionBase instances first.')
        Exception.__init__(self, msg)


DynanmoDBOperationNotSupportedError = DynamoDBOperationNotSupportedError


class DynamoDBNeedsConditionError(Boto3Error):
    """Raised when input is not a condition."""

    def __init__(self, value: object) -> None:
        msg = f'Expecting a ConditionBase object. Got {value} of type {type(value)}. '
        msg += 'Use AttributeBase object methods (i.e. Attr().eq()). to generate ConditionBase instances.'
        Exception.__init__(self, msg)


class DynamoDBNeedsKeyConditionError(Boto3Error):
    pass


class ResourceNotExistsError(Boto3Error, DataNotFoundError):
    """Raised when you attempt to create a resource that does not exist."""

    def __init__(self, service_name: str, available_services: list, has_low_level_client: bool) -> None:
        msg = ("The '{}' resource does not exist.\n"
               'The available resources are:\n'
               '   - {}\n'.format(service_name, '\n   - '.join(available_services)))
        if has_low_level_client:
            msg = (f"{msg}\nConsider using a boto3.client('{service_name}') instead of a "
                   f"resource for '{service_name}'")
        Boto3Error.__init__(self, msg)
