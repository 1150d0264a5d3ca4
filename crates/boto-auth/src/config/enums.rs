//! Settings with a fixed set of values, as enums.
//!
//! botocore validates these against fixed lists (case-insensitively); parsing
//! into enums makes an invalid value an error at resolution time instead of a
//! surprise later.

use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }
        impl $name {
            /// Every accepted spelling.
            pub const VALUES: &'static [&'static str] = &[$($text),+];
            /// The canonical spelling.
            pub fn as_str(&self) -> &'static str { match self { $($name::$variant => $text),+ } }
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
    /// `retry_mode`.
    RetryMode { Legacy = "legacy", Standard = "standard", Adaptive = "adaptive" }
);
string_enum!(
    /// `s3.addressing_style`.
    AddressingStyle { Auto = "auto", Virtual = "virtual", Path = "path" }
);
string_enum!(
    /// `request_checksum_calculation` and `response_checksum_validation`.
    ChecksumMode { WhenSupported = "when_supported", WhenRequired = "when_required" }
);
string_enum!(
    /// `defaults_mode`.
    DefaultsMode {
        Legacy = "legacy",
        Standard = "standard",
        InRegion = "in-region",
        CrossRegion = "cross-region",
        Mobile = "mobile",
        Auto = "auto",
    }
);
string_enum!(
    /// `ec2_metadata_service_endpoint_mode`.
    ImdsEndpointMode { Ipv4 = "ipv4", Ipv6 = "ipv6" }
);
string_enum!(
    /// `account_id_endpoint_mode`.
    AccountIdEndpointMode { Preferred = "preferred", Disabled = "disabled", Required = "required" }
);
string_enum!(
    /// `sts_regional_endpoints`.
    StsRegionalEndpoints { Legacy = "legacy", Regional = "regional" }
);
