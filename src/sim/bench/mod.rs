//! Benchmarks for `plantlog bench`: building blocks and runs. Every figure is a ratio of
//! two things measured side by side in the same run (this machine may be shared and
//! noisy), or a count that does not depend on timing.

pub mod alarms;
pub mod backup;
pub mod collector;
pub mod historian;
pub mod production;

pub use collector::*;

/// CPU time (user + system) used by this process so far; `None` where the OS does not
/// say (only Linux is read).
pub fn process_cpu() -> Option<std::time::Duration> {
    #[cfg(target_os = "linux")]
    {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // Fields after the command name (which is in parentheses and may hold spaces).
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: u64 = fields.get(11)?.parse().ok()?;
        let stime: u64 = fields.get(12)?.parse().ok()?;
        // The kernel's USER_HZ is 100 on every Linux Plantlog runs on.
        Some(std::time::Duration::from_millis((utime + stime) * 10))
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Bytes this process has caused to be written to storage so far (Linux only).
pub fn process_written() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let io = std::fs::read_to_string("/proc/self/io").ok()?;
        io.lines()
            .find_map(|l| l.strip_prefix("write_bytes: "))
            .and_then(|v| v.trim().parse().ok())
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}
