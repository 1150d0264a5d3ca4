//! S3 transfer manager: boto3's `s3transfer` on boto-rs.
