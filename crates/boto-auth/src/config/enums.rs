//! Settings with a fixed set of values, as enums.
//!
//! botocore validates these against fixed lists (case-insensitively); parsing
//! into enums makes an invalid value an error at resolution time instead of a
//! surprise later.

use super::settings::Invalid;
use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            /// Every accepted spelling.
            pub const VALUES: &'static [&'static str] = &[$($text),+];
            /// The canonical spelling.
            pub fn as_str(&self) -> &'static str { match self { $($name::$variant => $text),+ } }
            /// The settings-table parser: one of [`Self::VALUES`], any case, blanks ignored.
            pub fn parse_setting(s: &str) -> Result<Self, Invalid> {
                s.trim()
                    .parse()
                    .map_err(|_| Invalid::Expected(format!("one of {}", Self::VALUES.join(", "))))
            }
        }
        impl FromStr for $name {
            type Err = ();
            /// Case-insensitive, like botocore.
            fn from_str(s: &str) -> Result<Self, ()> {
                $(if s.eq_ignore_ascii_case($text) { return Ok($name::$variant); })+
                Err(())
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

string_enum!(
    /// `retry_mode`: botocore's retry handlers.
    RetryMode {
        /// botocore's original handler: 5 attempts, fewer retryable errors, no quota.
        Legacy = "legacy",
        /// The cross-SDK standard mode: 3 attempts, a retry quota, jittered backoff.
        Standard = "standard",
        /// `standard` plus a client-side rate limiter that slows down on throttling.
        Adaptive = "adaptive",
    }
);
string_enum!(
    /// `s3.addressing_style`: where the bucket name goes in S3 URLs.
    AddressingStyle {
        /// Virtual-hosted when the bucket name allows it, else path style.
        Auto = "auto",
        /// Always `bucket.s3.region.amazonaws.com`.
        Virtual = "virtual",
        /// Always `s3.region.amazonaws.com/bucket`.
        Path = "path",
    }
);
string_enum!(
    /// `request_checksum_calculation` and `response_checksum_validation`.
    ChecksumMode {
        /// For every operation that supports checksums.
        WhenSupported = "when_supported",
        /// Only where the operation requires one (or the caller asked for one).
        WhenRequired = "when_required",
    }
);
string_enum!(
    /// `defaults_mode`: botocore's `sdk-default-configuration.json` profiles.
    DefaultsMode {
        /// botocore's historic defaults (no smart-default overrides).
        Legacy = "legacy",
        /// The recommended defaults for most applications.
        Standard = "standard",
        /// Tuned for calls within one region (shorter connect timeout).
        InRegion = "in-region",
        /// Tuned for calls to other regions (longer timeouts).
        CrossRegion = "cross-region",
        /// Tuned for mobile devices.
        Mobile = "mobile",
        /// Pick `in-region` or `cross-region` from the environment.
        Auto = "auto",
    }
);
string_enum!(
    /// `ec2_metadata_service_endpoint_mode`: which IMDS address to call.
    ImdsEndpointMode {
        /// `http://169.254.169.254/`.
        Ipv4 = "ipv4",
        /// `http://[fd00:ec2::254]/`.
        Ipv6 = "ipv6",
    }
);
string_enum!(
    /// `account_id_endpoint_mode`: whether to use account-based endpoints (DynamoDB).
    AccountIdEndpointMode {
        /// Use the account id when the credentials carry one.
        Preferred = "preferred",
        /// Never use account-based endpoints.
        Disabled = "disabled",
        /// Fail when the credentials carry no account id.
        Required = "required",
    }
);
string_enum!(
    /// `sts_regional_endpoints` and `s3.us_east_1_regional_endpoint`: the global
    /// endpoint for the regions that historically used it, or the regional one.
    RegionalEndpoints {
        /// The global endpoint (`sts.amazonaws.com`, `s3.amazonaws.com`) for the legacy global regions.
        Legacy = "legacy",
        /// Always the regional endpoint (`sts.<region>.amazonaws.com`).
        Regional = "regional",
    }
);
/// The former name of [`RegionalEndpoints`].
pub type StsRegionalEndpoints = RegionalEndpoints;
string_enum!(
    /// `endpoint_discovery_enabled`: when to call the service's discovery
    /// operation (`DescribeEndpoints`) and send requests to the address it returns.
    #[derive(Default)]
    EndpointDiscovery {
        /// `auto` (the default): discover for operations whose model requires it (Timestream).
        #[default]
        Auto = "auto",
        /// `true`: also discover for operations where it is optional (DynamoDB).
        Enabled = "true",
        /// `false`: never; operations that require discovery fail before anything is sent.
        Disabled = "false",
    }
);
