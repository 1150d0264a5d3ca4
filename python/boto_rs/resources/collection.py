"""boto3's ``boto3.resources.collection`` names (``ResourceCollection``,
``CollectionManager``); see ``boto_rs.resources``."""

from boto_rs.resources import CollectionManager, ResourceCollection

__all__ = ['CollectionManager', 'ResourceCollection']
