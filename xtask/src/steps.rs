//! One progress line per step and a readable summary at the end, so a first-time user
//! sees where a long first run is, and a failure says which step broke.

use std::time::Instant;

pub struct Steps {
    title: &'static str,
    started: Instant,
    done: Vec<(String, f64, bool)>,
}

impl Steps {
    pub fn new(title: &'static str) -> Self {
        Steps {
            title,
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs one step, printing its name first and its outcome after.
    pub fn step<T>(
        &mut self,
        name: &str,
        work: impl FnOnce() -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        println!("==> {name}");
        let began = Instant::now();
        let result = work();
        let seconds = began.elapsed().as_secs_f64();
        self.done.push((name.to_string(), seconds, result.is_ok()));
        if result.is_err() {
            self.summary();
        }
        result.map_err(|error| error.context(format!("step failed: {name}")))
    }

    /// A one-line note inside the current step (e.g. "already installed").
    pub fn note(text: &str) {
        println!("    {text}");
    }

    pub fn summary(&self) {
        println!("\n{} summary", self.title);
        for (name, seconds, ok) in &self.done {
            let mark = if *ok { "ok  " } else { "FAIL" };
            println!("  {mark} {seconds:>7.1}s  {name}");
        }
        println!("  total {:.1}s", self.started.elapsed().as_secs_f64());
    }
}
