//! DynamoDB high-level layer (boto3.dynamodb): types, conditions, batch writer.
