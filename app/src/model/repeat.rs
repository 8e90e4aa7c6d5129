//! Timed publish: send every N milliseconds, a given number of times or until stopped.
//! The plan is read from the form's text fields with errors that say what to type; the
//! progress decides whether one more message may go, so a run never exceeds its count.

/// The shortest interval accepted: browsers do not time shorter waits reliably.
pub const MIN_INTERVAL_MS: u32 = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepeatPlan {
    pub interval_ms: u32,
    /// `None`: until stopped.
    pub count: Option<u32>,
}

impl RepeatPlan {
    /// Reads "every N ms" and "times" (empty = until stopped).
    pub fn parse(interval: &str, count: &str) -> Result<RepeatPlan, String> {
        let interval_ms: u32 = interval.trim().parse().map_err(|_| {
            format!("Interval must be a whole number of milliseconds (at least {MIN_INTERVAL_MS})")
        })?;
        if interval_ms < MIN_INTERVAL_MS {
            return Err(format!(
                "Interval must be at least {MIN_INTERVAL_MS} ms (browsers cannot time shorter waits)"
            ));
        }
        let count = match count.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(0) | Err(_) => {
                    return Err(
                        "Times must be a whole number from 1, or empty to repeat until stopped"
                            .into(),
                    )
                }
                Ok(n) => Some(n),
            },
        };
        Ok(RepeatPlan { interval_ms, count })
    }
}

/// How far a run got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RepeatProgress {
    pub sent: u32,
    pub total: Option<u32>,
}

impl RepeatProgress {
    pub fn start(plan: RepeatPlan) -> Self {
        RepeatProgress {
            sent: 0,
            total: plan.count,
        }
    }

    /// The counter of the next message (1-based), or `None` when the run is complete.
    pub fn next(&self) -> Option<u32> {
        match self.total {
            Some(total) if self.sent >= total => None,
            _ => self.sent.checked_add(1),
        }
    }

    /// "sent 3 / 10", or "sent 3" for a run until stopped.
    pub fn label(&self) -> String {
        match self.total {
            Some(total) => format!("sent {} / {total}", self.sent),
            None => format!("sent {}", self.sent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_read_from_the_form() {
        assert_eq!(
            RepeatPlan::parse(" 250 ", "5"),
            Ok(RepeatPlan {
                interval_ms: 250,
                count: Some(5)
            })
        );
        assert_eq!(RepeatPlan::parse("100", "").map(|p| p.count), Ok(None));
        assert!(RepeatPlan::parse("5", "1")
            .unwrap_err()
            .contains("at least 10"));
        assert!(RepeatPlan::parse("x", "1")
            .unwrap_err()
            .contains("milliseconds"));
        assert!(RepeatPlan::parse("100", "0")
            .unwrap_err()
            .contains("from 1"));
        assert!(RepeatPlan::parse("100", "-2").is_err());
    }

    #[test]
    fn a_run_never_goes_past_its_count() {
        let plan = RepeatPlan::parse("10", "3").expect("valid");
        let mut progress = RepeatProgress::start(plan);
        let mut counters = Vec::new();
        while let Some(counter) = progress.next() {
            counters.push(counter);
            progress.sent = counter;
        }
        assert_eq!(counters, [1, 2, 3]);
        assert_eq!(progress.label(), "sent 3 / 3");
        let endless = RepeatProgress {
            sent: 41,
            total: None,
        };
        assert_eq!(endless.next(), Some(42));
        assert_eq!(endless.label(), "sent 41");
    }
}
