"""boto3's ``boto3.dynamodb`` package: ``conditions`` (``Key``, ``Attr``),
``types`` (``TypeSerializer``, ``TypeDeserializer``, ``Binary``) and the Table
resource's high-level methods (``table``), on ``boto_resources::dynamodb``."""
