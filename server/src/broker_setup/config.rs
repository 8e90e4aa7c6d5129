//! The broker's configuration from the command line: its limits, and the
//! authenticator built from the password and ACL files. A file that does not parse
//! stops the start with the file's name and line.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use broker::auth::{AclFile, AnonymousPolicy, FileAuthenticator, PasswordFile};
use broker::{Authenticator, BrokerConfig, Limits};

use crate::cli::{Anonymous, BrokerArgs, LimitArgs};

/// The whole broker configuration the options describe.
pub fn broker_config(args: &BrokerArgs) -> anyhow::Result<BrokerConfig> {
    let sys_interval = match args.limits.sys_interval {
        0 => None,
        seconds => Some(Duration::from_secs(seconds)),
    };
    // Every field named: a new broker setting should get its option here.
    Ok(BrokerConfig {
        limits: limits(&args.limits),
        authenticator: authenticator(args)?,
        sys_interval,
    })
}

/// The limits, each from its flag (whose default is the library's).
pub fn limits(args: &LimitArgs) -> Limits {
    Limits {
        max_connections: args.max_connections,
        max_packet_size: args.max_packet_size as usize,
        receive_maximum: args.receive_maximum,
        max_inflight_out: args.max_inflight,
        max_queued_messages: args.max_queued_messages,
        max_queued_bytes: args.max_queued_bytes,
        max_retained_messages: args.max_retained,
        max_topic_levels: args.max_topic_levels,
        max_topic_length: args.max_topic_length,
        max_subscriptions_per_client: args.max_subscriptions,
        topic_alias_maximum: args.topic_alias_maximum,
        server_keep_alive: args.server_keep_alive,
        connect_timeout: Duration::from_secs(args.connect_timeout),
        ws_frame_interval: Duration::from_millis(args.ws_frame_interval),
        ..Limits::default()
    }
}

fn authenticator(args: &BrokerArgs) -> anyhow::Result<Arc<dyn Authenticator>> {
    let passwords = match &args.passwords {
        Some(path) => {
            let file = PasswordFile::load(path).context("--passwords")?;
            if file.is_empty() {
                tracing::warn!(
                    "the password file {} holds no users: only anonymous clients can connect \
                     (add users with `mqttdeck passwd {} USER`)",
                    path.display(),
                    path.display()
                );
            } else {
                tracing::info!("{} users from {}", file.len(), path.display());
            }
            Some(file)
        }
        None => None,
    };
    let acl = match &args.acl {
        Some(path) => Some(AclFile::load(path).context("--acl")?),
        None => None,
    };
    let anonymous = args.anonymous.map(|choice| match choice {
        Anonymous::Loopback => AnonymousPolicy::Loopback,
        Anonymous::Always => AnonymousPolicy::Always,
        Anonymous::Never => AnonymousPolicy::Never,
    });
    let authenticator = FileAuthenticator::new(passwords, acl, anonymous);
    tracing::debug!(anonymous = ?authenticator.anonymous_policy(), "authentication");
    Ok(Arc::new(authenticator))
}
