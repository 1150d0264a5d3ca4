//! What the proxy injects: the fault kinds, each protocol's error documents
//! (S3 XML, DynamoDB JSON 1.0, SQS JSON with its query-compatible error
//! header), the seeded random source, and the clock arithmetic that makes an
//! injected clock skew a real one (the response `Date` is at least five
//! minutes from the time the request was signed at).

use std::time::{SystemTime, UNIX_EPOCH};

/// One kind of injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// 500 `InternalError` in the service's error format; not forwarded.
    InternalError,
    /// 503 `ServiceUnavailable`; not forwarded.
    ServiceUnavailable,
    /// S3 503 `SlowDown`, DynamoDB `ProvisionedThroughputExceededException` /
    /// `ThrottlingException`, SQS `RequestThrottled`; not forwarded.
    Throttling,
    /// The request is read whole, then the connection is reset (RST); not forwarded.
    ResetBeforeForward,
    /// The upstream did the work and answered; the client gets a reset instead.
    ResetAfterForward,
    /// Headers promise more body than is sent, then the connection closes.
    TruncatedBody,
    /// Headers and half the body, then nothing until the client gives up.
    StalledBody,
    /// `Content-Length` disagrees with the bytes sent: shorter than the body
    /// when a checksum covers the body (the client must notice the short body),
    /// else longer, with the connection left open (the client must time out).
    WrongContentLength,
    /// A signature-time rejection (`RequestTimeTooSkewed`,
    /// `InvalidSignatureException`, `SignatureDoesNotMatch`) with a `Date`
    /// five minutes or more away from the request's `X-Amz-Date`; not forwarded.
    ClockSkew,
}

impl Fault {
    pub const ALL: [Fault; 9] = [
        Fault::InternalError,
        Fault::ServiceUnavailable,
        Fault::Throttling,
        Fault::ResetBeforeForward,
        Fault::ResetAfterForward,
        Fault::TruncatedBody,
        Fault::StalledBody,
        Fault::WrongContentLength,
        Fault::ClockSkew,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::InternalError => "500",
            Fault::ServiceUnavailable => "503",
            Fault::Throttling => "throttling",
            Fault::ResetBeforeForward => "reset-before",
            Fault::ResetAfterForward => "reset-after",
            Fault::TruncatedBody => "truncated",
            Fault::StalledBody => "stalled",
            Fault::WrongContentLength => "wrong-length",
            Fault::ClockSkew => "clock-skew",
        }
    }

    /// Whether the upstream server saw (and acted on) the request.
    pub fn forwards(self) -> bool {
        matches!(
            self,
            Fault::ResetAfterForward
                | Fault::TruncatedBody
                | Fault::StalledBody
                | Fault::WrongContentLength
        )
    }
}

/// Which error format a request expects, from its `X-Amz-Target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    S3,
    DynamoDb,
    Sqs,
}

impl Service {
    pub fn of(target: Option<&str>) -> Service {
        match target {
            Some(t) if t.starts_with("DynamoDB_") => Service::DynamoDb,
            Some(t) if t.starts_with("AmazonSQS.") => Service::Sqs,
            _ => Service::S3,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Service::S3 => "s3",
            Service::DynamoDb => "dynamodb",
            Service::Sqs => "sqs",
        }
    }
}

/// A complete injected response (status, headers without `Content-Length`, body).
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

fn xml_error(status: u16, code: &str, message: &str, extra: &str, id: &str) -> Canned {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>{extra}<RequestId>{id}</RequestId><HostId>fault-proxy</HostId></Error>"
    );
    Canned {
        status,
        headers: vec![
            ("Content-Type".into(), "application/xml".into()),
            ("x-amz-request-id".into(), id.into()),
        ],
        body: body.into_bytes(),
    }
}

/// A JSON 1.0 error; `query` adds SQS's `x-amzn-query-error: Code;Fault`
/// (SQS speaks JSON with `awsQueryCompatible`, and moto sends the same pair).
fn json_error(status: u16, type_: &str, message: &str, query: Option<&str>, id: &str) -> Canned {
    let body = serde_json::json!({"__type": type_, "message": message}).to_string();
    let mut headers = vec![
        (
            "Content-Type".to_string(),
            "application/x-amz-json-1.0".to_string(),
        ),
        ("x-amzn-RequestId".to_string(), id.to_string()),
    ];
    if let Some(q) = query {
        headers.push(("x-amzn-query-error".into(), q.into()));
    }
    Canned {
        status,
        headers,
        body: body.into_bytes(),
    }
}

/// The error response for a fault that answers without forwarding.
/// `variant` picks between equivalent codes (DynamoDB's two throttles).
pub fn error_response(
    fault: Fault,
    service: Service,
    variant: u64,
    amz_date: Option<&str>,
    server_time: i64,
    id: &str,
) -> Canned {
    const DDB: &str = "com.amazonaws.dynamodb.v20120810#";
    const CORAL: &str = "com.amazon.coral.service#";
    let mut c = match (fault, service) {
        (Fault::InternalError, Service::S3) => xml_error(
            500,
            "InternalError",
            "We encountered an internal error. Please try again.",
            "",
            id,
        ),
        (Fault::InternalError, Service::DynamoDb) => json_error(
            500,
            &format!("{DDB}InternalServerError"),
            "Internal server error",
            None,
            id,
        ),
        (Fault::InternalError, Service::Sqs) => json_error(
            500,
            &format!("{CORAL}InternalFailure"),
            "The request processing has failed because of an unknown error.",
            Some("InternalFailure;Receiver"),
            id,
        ),
        (Fault::ServiceUnavailable, Service::S3) => xml_error(
            503,
            "ServiceUnavailable",
            "Service is unable to handle request.",
            "",
            id,
        ),
        (Fault::ServiceUnavailable, s) => json_error(
            503,
            &format!("{CORAL}ServiceUnavailableException"),
            "Service is unable to handle request.",
            (s == Service::Sqs).then_some("ServiceUnavailable;Receiver"),
            id,
        ),
        (Fault::Throttling, Service::S3) => {
            xml_error(503, "SlowDown", "Please reduce your request rate.", "", id)
        }
        (Fault::Throttling, Service::DynamoDb) if variant.is_multiple_of(2) => json_error(
            400,
            &format!("{DDB}ProvisionedThroughputExceededException"),
            "The level of configured provisioned throughput for the table was exceeded.",
            None,
            id,
        ),
        (Fault::Throttling, Service::DynamoDb) => json_error(
            400,
            "com.amazon.coral.availability#ThrottlingException",
            "Rate of requests exceeds the allowed throughput.",
            None,
            id,
        ),
        (Fault::Throttling, Service::Sqs) => json_error(
            400,
            "com.amazonaws.sqs#RequestThrottled",
            "Request is throttled.",
            Some("RequestThrottled;Sender"),
            id,
        ),
        (Fault::ClockSkew, s) => {
            let req = amz_date.unwrap_or("-");
            let srv = amz_basic(server_time);
            let relation = match amz_date.and_then(parse_amz_date) {
                Some(t) if t > server_time => format!(
                    "Signature not yet current: {req} is still later than {} ({srv} + 5 min.)",
                    amz_basic(server_time + 300)
                ),
                _ => format!(
                    "Signature expired: {req} is now earlier than {} ({srv} - 5 min.)",
                    amz_basic(server_time - 300)
                ),
            };
            match s {
                Service::S3 => xml_error(
                    403,
                    "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.",
                    &format!(
                        "<RequestTime>{req}</RequestTime><ServerTime>{}</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>",
                        iso8601(server_time)
                    ),
                    id,
                ),
                Service::DynamoDb => {
                    json_error(400, &format!("{CORAL}InvalidSignatureException"), &relation, None, id)
                }
                Service::Sqs => json_error(
                    403,
                    &format!("{CORAL}SignatureDoesNotMatch"),
                    &relation,
                    Some("SignatureDoesNotMatch;Sender"),
                    id,
                ),
            }
        }
        (f, _) => panic!("{f:?} is not answered by the proxy itself"),
    };
    c.headers.push(("Date".into(), http_date(server_time)));
    c
}

/// splitmix64: a small seeded generator, so a run can be replayed by seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 8);
        while out.len() < len {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(len);
        out
    }
}

pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The server time for a skew fault: one of -5, 0, +5 minutes from the true
/// time, at least 4 minutes away from the clock the request was signed with
/// (so the client really is skewed by the server's account, and corrects).
/// Offsets stay within s3s-fs's own 10-minute tolerance.
pub fn skewed_server_time(amz_date: Option<&str>, rng: &mut Rng) -> i64 {
    let now = now_secs();
    let client_offset = amz_date.and_then(parse_amz_date).map_or(0, |t| t - now);
    let choices: Vec<i64> = [-300i64, 0, 300]
        .into_iter()
        .filter(|o| (o - client_offset).abs() >= 240)
        .collect();
    now + choices[rng.below(choices.len() as u64) as usize]
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60, days)
}

/// `20240102T030405Z` → seconds since the epoch.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let days = days_from_civil(n(0..4)?, n(4..6)?, n(6..8)?);
    Some(days * 86_400 + n(9..11)? * 3600 + n(11..13)? * 60 + n(13..15)?)
}

pub fn amz_basic(secs: i64) -> String {
    let (y, m, d, h, mi, s, _) = civil(secs);
    format!("{y:04}{m:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

pub fn iso8601(secs: i64) -> String {
    let (y, m, d, h, mi, s, _) = civil(secs);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// RFC 7231 `Date`, which the client reads for clock-skew correction.
pub fn http_date(secs: i64) -> String {
    let (y, m, d, h, mi, s, days) = civil(secs);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let mn = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!("{wd}, {d:02} {mn} {y} {h:02}:{mi:02}:{s:02} GMT")
}

#[test]
fn clock_helpers_round_trip() {
    let t = 1_718_000_123;
    assert_eq!(parse_amz_date(&amz_basic(t)), Some(t));
    assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
    let mut rng = Rng::new(7);
    for _ in 0..50 {
        let now = now_secs();
        let signed_now = amz_basic(now);
        let s = skewed_server_time(Some(&signed_now), &mut rng);
        assert!(
            (s - now).abs() >= 240 && (s - now).abs() <= 301,
            "{}",
            s - now
        );
        let signed_ahead = amz_basic(now + 300);
        let s = skewed_server_time(Some(&signed_ahead), &mut rng);
        assert!((s - (now + 300)).abs() >= 240, "{}", s - now);
    }
}
