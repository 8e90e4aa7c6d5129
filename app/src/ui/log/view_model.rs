//! The log's view state: filter inputs, the compiled filter, the list of matching
//! sequence numbers (extended incrementally as messages arrive, rebuilt when the filter
//! changes), pause, selection, and the display format at its two levels kept with the
//! connection (see [`crate::state::log_formats`]): the log's own (following Settings
//! unless picked) and one per message.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::messages::decode::PayloadFormat as DisplayFormat;
use crate::messages::{
    subscription_format, DirectionFilter, FilterSpec, FormatLevels, MessageFilter, MessageRecord,
    PayloadQuery, SubscriptionFilter,
};
use crate::platform::monotonic_ms;
use crate::state::log_formats::{log_formats, LogFormat};
use crate::state::messages::{store, SharedStore};
use crate::state::{AppState, ConnectionRuntime};
use crate::ui::subscriptions::ShowOnly;

/// Sequence numbers of the messages the filter lets through, oldest first.
#[derive(Default)]
pub struct Matched {
    pub seqs: Vec<u64>,
    /// Every message below this sequence number has been looked at.
    pub scanned_to: u64,
}

#[derive(Clone, Copy)]
pub struct LogView {
    pub runtime: ConnectionRuntime,
    pub id: StoredValue<String>,
    pub topic: RwSignal<String>,
    pub payload: RwSignal<String>,
    pub regex: RwSignal<bool>,
    pub direction: RwSignal<DirectionFilter>,
    pub qos: RwSignal<Option<u8>>,
    pub retained_only: RwSignal<bool>,
    /// What the user picked in the log's format picker, or that it follows Settings.
    pub format_choice: RwSignal<LogFormat>,
    /// The log's format in effect; `None` means "detect" (a suggestion per message). A
    /// subscription's or a message's own format wins over it.
    pub format: Signal<Option<DisplayFormat>>,
    /// Formats picked for single messages, by sequence number.
    pub message_formats: RwSignal<HashMap<u64, DisplayFormat>>,
    pub paused: RwSignal<bool>,
    pub selected: RwSignal<Option<u64>>,
    /// Bumped when `matched` changed; the list re-renders on it.
    pub shown_version: RwSignal<u64>,
    pub filter_error: RwSignal<Option<String>>,
    /// New matching messages while paused.
    pub new_while_paused: RwSignal<usize>,
    matched: StoredValue<Rc<RefCell<Matched>>, LocalStorage>,
    filter: StoredValue<Rc<MessageFilter>, LocalStorage>,
    /// A scan continues in a task of its own soon (see [`SCAN_SLICE_MS`]).
    scan_scheduled: StoredValue<bool>,
    /// The filter changed: the next scan slice rescans even while paused.
    filter_changed: StoredValue<bool>,
}

/// Messages looked at between two looks at the clock.
const SCAN_CHUNK: usize = 2_048;

/// Main-thread time one slice of a rescan takes. The same task then rewrites the rows the
/// slice changed, so the slice is kept to half of what other background work takes
/// (`platform::FRAME_SLICE_MS`): a slice and its rows stay far from a long task even when
/// the machine makes the page wait for a CPU.
const SCAN_SLICE_MS: u64 = 4;

impl LogView {
    pub fn new(id: &str, runtime: ConnectionRuntime) -> Self {
        let formats = log_formats(id);
        let format_choice = RwSignal::from(formats.log);
        let settings = use_context::<AppState>().map(|state| state.settings);
        let view = LogView {
            runtime,
            id: StoredValue::new(id.to_string()),
            topic: RwSignal::new(String::new()),
            payload: RwSignal::new(String::new()),
            regex: RwSignal::new(false),
            direction: RwSignal::new(DirectionFilter::All),
            qos: RwSignal::new(None),
            retained_only: RwSignal::new(false),
            format_choice,
            format: Signal::derive(move || {
                let default = settings.and_then(|s| s.with(|s| s.default_format));
                format_choice.get().resolve(default)
            }),
            message_formats: RwSignal::from(formats.messages),
            paused: RwSignal::new(false),
            selected: RwSignal::new(None),
            shown_version: RwSignal::new(0),
            filter_error: RwSignal::new(None),
            new_while_paused: RwSignal::new(0),
            matched: StoredValue::new_local(Rc::new(RefCell::new(Matched::default()))),
            filter: StoredValue::new_local(Rc::new(MessageFilter::everything())),
            scan_scheduled: StoredValue::new(false),
            filter_changed: StoredValue::new(false),
        };
        view.track_filter();
        view.track_arrivals();
        view
    }

    pub fn store(&self) -> SharedStore {
        store(&self.id.get_value())
    }

    pub fn matched(&self) -> Rc<RefCell<Matched>> {
        self.matched.get_value()
    }

    /// Rebuilds the filter when an input changes, then rescans everything held.
    fn track_filter(&self) {
        let view = *self;
        let show_only = use_context::<ShowOnly>();
        Effect::new(move |_| {
            let spec = FilterSpec {
                direction: view.direction.get(),
                subscription: show_only
                    .and_then(|s| s.0.get())
                    .map(SubscriptionFilter::TopicFilter),
                topic: Some(view.topic.get()).filter(|t| !t.trim().is_empty()),
                payload: Some(view.payload.get())
                    .filter(|p| !p.is_empty())
                    .map(|text| {
                        if view.regex.get() {
                            PayloadQuery::Regex(text)
                        } else {
                            PayloadQuery::Text {
                                text,
                                case_sensitive: false,
                            }
                        }
                    }),
                qos: view.qos.get().and_then(|q| mqtt::QoS::try_from(q).ok()),
                retained_only: view.retained_only.get(),
            };
            match spec.compile() {
                Ok(filter) => {
                    let typed = view
                        .filter
                        .with_value(|current| typed_change(current.spec(), filter.spec()));
                    view.filter_error.set(None);
                    view.filter.set_value(Rc::new(filter));
                    if typed {
                        view.rescan_soon();
                    } else {
                        view.rescan();
                    }
                }
                Err(error) => view.filter_error.set(Some(error.to_string())),
            }
        });
    }

    /// Extends the matches with what arrived since the last frame.
    fn track_arrivals(&self) {
        let view = *self;
        Effect::new(move |_| {
            view.runtime.messages_version.track();
            if view.paused.get_untracked() {
                if view.filter_changed.get_value() {
                    // Counted against the new filter once its rescan has run.
                    return;
                }
                let store = view.store();
                let store = store.borrow();
                let matched = view.matched();
                let scanned = matched.borrow().scanned_to;
                let filter = view.filter.get_value();
                view.new_while_paused
                    .set(store.matching_from(&filter, scanned).len());
                return;
            }
            view.extend();
        });
    }

    /// Full rescan (the log was cleared).
    pub fn rescan(&self) {
        self.forget_matches();
        self.extend();
    }

    /// Full rescan in a task of its own, soon (the filter's text changed). Keys typed in
    /// the filter box before it runs then cost one rescan, and the key press's task
    /// stays short.
    fn rescan_soon(&self) {
        self.forget_matches();
        self.filter_changed.set_value(true);
        self.continue_scan_soon();
    }

    fn forget_matches(&self) {
        let matched = self.matched();
        let mut matched = matched.borrow_mut();
        matched.seqs.clear();
        matched.scanned_to = 0;
    }

    /// Appends the matches among messages not yet scanned, drops evicted ones.
    pub fn extend(&self) {
        let store = self.store();
        let store = store.borrow();
        let filter = self.filter.get_value();
        let matched = self.matched();
        let mut matched = matched.borrow_mut();
        let from = matched.scanned_to;
        let mut finished = true;
        if filter.is_everything() {
            let mut fresh = store.matching_from(&filter, from);
            matched.seqs.append(&mut fresh);
            matched.scanned_to = store.next_seq();
        } else {
            // A rescan of a million held messages is spread over short tasks, so
            // typing in the filter never blocks the page; the list fills in as it goes.
            let started = monotonic_ms();
            let mut next = from;
            for (looked, record) in store.iter_from(from).enumerate() {
                if looked % SCAN_CHUNK == SCAN_CHUNK - 1
                    && monotonic_ms().saturating_sub(started) >= SCAN_SLICE_MS
                {
                    finished = false;
                    break;
                }
                next = record.seq + 1;
                if filter.matches(record) {
                    matched.seqs.push(record.seq);
                }
            }
            matched.scanned_to = if finished { store.next_seq() } else { next };
        }
        if let Some(first) = store.first_seq() {
            let evicted = matched.seqs.partition_point(|seq| *seq < first);
            if evicted > 0 {
                matched.seqs.drain(..evicted);
            }
        } else {
            matched.seqs.clear();
        }
        drop(matched);
        self.new_while_paused.set(0);
        self.shown_version.update(|v| *v += 1);
        if !finished {
            self.continue_scan_soon();
        }
    }

    /// Scans on in a task of its own rather than in an animation frame: a frame of a
    /// flood already redraws the rows, and a scan slice on top of that made the frames
    /// that ran one the page's longest. Between slices the page paints and takes input.
    fn continue_scan_soon(&self) {
        if self.scan_scheduled.get_value() {
            return;
        }
        self.scan_scheduled.set_value(true);
        let view = *self;
        set_timeout(
            move || {
                // The log may have gone meanwhile (its connection's view was closed).
                if view.scan_scheduled.try_set_value(false).is_some() {
                    return;
                }
                let filter_changed = view.filter_changed.get_value();
                view.filter_changed.set_value(false);
                if filter_changed || !view.paused.get_untracked() {
                    view.extend();
                }
            },
            Duration::ZERO,
        );
    }

    pub fn resume(&self) {
        self.paused.set(false);
        self.extend();
    }

    /// Shows message `seq` in `format` whatever its subscription or the log say;
    /// `None` drops its own choice again.
    pub fn set_message_format(&self, seq: u64, format: Option<DisplayFormat>) {
        self.message_formats.update(|formats| match format {
            Some(format) => {
                formats.insert(seq, format);
            }
            None => {
                formats.remove(&seq);
            }
        });
    }

    pub fn clear(&self) {
        self.store().borrow_mut().clear();
        self.selected.set(None);
        self.message_formats.set(HashMap::new());
        self.rescan();
    }
}

/// What the log needs to know of a connection's subscriptions: filter, colour, format.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionLook {
    pub filter: String,
    pub color: String,
    pub format: Option<DisplayFormat>,
}

impl LogView {
    /// The saved subscriptions of this log's connection (tracked).
    pub fn subscription_looks(&self, state: &AppState) -> Vec<SubscriptionLook> {
        state
            .with_profile(&self.id.get_value(), |profile| {
                profile
                    .subscriptions
                    .iter()
                    .map(|s| SubscriptionLook {
                        filter: s.filter.clone(),
                        color: s.color.clone(),
                        format: s.format,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The format choices that apply to `record` (not tracked: callers track
    /// `format` and `message_formats` themselves).
    pub fn format_levels(
        &self,
        record: &MessageRecord,
        looks: &[SubscriptionLook],
    ) -> FormatLevels {
        let by_filter = looks.iter().map(|look| (look.filter.as_str(), look.format));
        FormatLevels {
            message: self
                .message_formats
                .with_untracked(|formats| formats.get(&record.seq).copied()),
            subscription: subscription_format(by_filter, &record.topic),
            log: self.format.get_untracked(),
        }
    }
}

/// `1234567` → `1,234,567`, as the counters read.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether only the typed parts of the filter (topic, payload) changed. Those rescan in a
/// task of their own; a pick (direction, QoS, subscription, ...) shows its result at once.
fn typed_change(before: &FilterSpec, after: &FilterSpec) -> bool {
    let with_new_text = FilterSpec {
        topic: after.topic.clone(),
        payload: after.payload.clone(),
        ..before.clone()
    };
    before != after && with_new_text == *after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_group_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn typing_rescans_in_a_task_of_its_own_and_a_pick_at_once() {
        let empty = FilterSpec::default();
        let typed = FilterSpec {
            topic: Some("flood/1".into()),
            ..FilterSpec::default()
        };
        let picked = FilterSpec {
            direction: DirectionFilter::Received,
            ..typed.clone()
        };
        assert!(typed_change(&empty, &typed));
        assert!(!typed_change(&typed, &picked));
        assert!(!typed_change(&typed, &typed), "no change rescans at once");
    }
}
