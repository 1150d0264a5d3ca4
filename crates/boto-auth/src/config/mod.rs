//! Shared config and credentials files, environment lookups and typed settings.
//!
//! boto3 reads the same `~/.aws/config` and `~/.aws/credentials` files as the
//! AWS CLI, with Python `configparser` semantics; this module reproduces that
//! reading ([`ProfileSet`]), safe in-place updates of those files
//! ([`update_config_file`]), the configured-endpoint-URL rules
//! ([`resolve_configured_endpoint_url`]) and the precedence of explicit values,
//! environment variables, profile values and defaults ([`ConfigResolver`]) for
//! the settings of one table ([`settings`], botocore's `configprovider`).
//! All lookups go through [`Env`] so nothing here reads the process environment
//! implicitly.

mod endpoint_url;
mod enums;
mod env;
mod error;
mod ini;
pub mod parsers;
mod profile;
pub mod settings;
pub(crate) mod shlex;
mod values;
mod writer;

pub use endpoint_url::{
    ignore_configured_endpoint_urls, resolve_configured_endpoint_url, service_endpoint_env_var,
    snake_case_from_service_id, snake_case_service_id, ConfiguredEndpointUrl, EndpointUrlSource,
};
pub use env::Env;
pub use error::ConfigError;
pub use profile::{ConfigValue, Profile, ProfileSelection, ProfileSet, Section};
pub use settings::{Invalid, ProfileKey, Setting};
pub use values::{
    ensure_boolean, AccountIdEndpointMode, AddressingStyle, ChecksumMode, ConfigResolver,
    ConfigValues, DefaultsMode, EndpointDiscovery, ExplicitConfig, ImdsEndpointMode, Proxies,
    RegionalEndpoints, Resolved, RetryMode, StsRegionalEndpoints, ValueSource, DEFAULT_TIMEOUT,
};
pub use writer::{
    apply_settings, update_config_file, validate_settings, ConfigSetting, ConfigWriteError,
};
