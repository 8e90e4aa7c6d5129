//! Waits for the signal to stop (Ctrl-C, or SIGTERM on Unix) so servers can drain.
//! The handlers are installed by [`listen`] before anything is announced, so a stop
//! request that follows the "listening on" lines at once is never the default
//! action (instant death) but always a clean shutdown.

/// Signal handlers, installed; [`Signals::wait`] resolves on the first signal.
pub struct Signals {
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
}

/// Installs the handlers now. Must run inside the Tokio runtime.
pub fn listen() -> Signals {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let install = |kind: SignalKind, name: &str| match signal(kind) {
            Ok(stream) => Some(stream),
            Err(error) => {
                tracing::warn!(%error, "cannot listen for {name}");
                None
            }
        };
        Signals {
            terminate: install(SignalKind::terminate(), "SIGTERM"),
            interrupt: install(SignalKind::interrupt(), "Ctrl-C"),
        }
    }
    #[cfg(not(unix))]
    Signals {}
}

impl Signals {
    /// Resolves when the process is asked to stop.
    pub async fn wait(self) {
        #[cfg(unix)]
        {
            async fn next(stream: Option<tokio::signal::unix::Signal>) {
                match stream {
                    Some(mut stream) => {
                        stream.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                () = next(self.terminate) => {},
                () = next(self.interrupt) => {},
            }
        }
        #[cfg(not(unix))]
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down");
    }
}

/// Installs the handlers and waits for a signal.
pub async fn signal() {
    listen().wait().await;
}
