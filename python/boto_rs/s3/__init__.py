"""boto3's ``boto3.s3`` package: transfers (``boto_rs.s3.transfer``) and the
S3 client/resource methods injected by ``boto3.s3.inject`` (``boto_rs.s3.inject``)."""
