//! The state the tray shows: collecting, a device alarm, a storage problem, or not
//! collecting; read from the in-process core, or for an attached core from whether it
//! answers. Also paints the tray icon's coloured dot.

use plantlog::collector::status::LinkState;
use plantlog::core::Core;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Collecting(String),
    /// Devices that do not answer (the alarm engine's alarms join here later).
    Alarm(String),
    /// Readings are not stored, or the disk is nearly full.
    Storage(String),
    NotCollecting(String),
}

impl State {
    /// The tooltip: "Plantlog: ..." in a sentence.
    pub fn tooltip(&self) -> String {
        match self {
            State::Collecting(s) => format!("Plantlog: collecting ({s})"),
            State::Alarm(s) => format!("Plantlog: alarm: {s}"),
            State::Storage(s) => format!("Plantlog: storage problem: {s}"),
            State::NotCollecting(s) => format!("Plantlog: not collecting: {s}"),
        }
    }

    /// The dot's colour, RGB.
    pub fn colour(&self) -> [u8; 3] {
        match self {
            State::Collecting(_) => [0x2e, 0x9d, 0x4a],
            State::Alarm(_) => [0xd9, 0x30, 0x25],
            State::Storage(_) => [0xef, 0x8a, 0x00],
            State::NotCollecting(_) => [0x80, 0x80, 0x80],
        }
    }

    /// Worth an OS notification when the state turns to it.
    pub fn is_problem(&self) -> bool {
        !matches!(self, State::Collecting(_))
    }
}

/// The state of a core running in this process: its system alarms (readings not
/// stored, disk nearly full) first, then its devices.
pub fn of_core(core: &Core) -> State {
    if let Some(alarm) = core.system_alarms().into_iter().next() {
        return State::Storage(alarm.message);
    }
    let plant = core.plant();
    let devices: Vec<&str> = plant
        .config
        .devices
        .iter()
        .map(|d| d.key.as_str())
        .collect();
    if devices.is_empty() {
        return State::NotCollecting("no devices are configured yet".into());
    }
    let silent: Vec<&str> = devices
        .iter()
        .copied()
        .filter(|k| core.device_status(k).state == LinkState::Offline)
        .collect();
    of_devices(devices.len(), &silent)
}

/// The state from how many devices there are and which do not answer.
pub fn of_devices(total: usize, silent: &[&str]) -> State {
    match silent {
        [] => State::Collecting(format!(
            "{total} device{}",
            if total == 1 { "" } else { "s" }
        )),
        [one] => State::Alarm(format!("{one} does not answer")),
        [first, ..] => State::Alarm(format!(
            "{} of {total} devices do not answer ({first}, ...)",
            silent.len()
        )),
    }
}

/// The state of a core in another process: answering or not.
pub fn of_attached(answers: bool) -> State {
    if answers {
        State::Collecting("by the Plantlog service or another Plantlog on this PC".into())
    } else {
        State::NotCollecting("the Plantlog that was collecting does not answer".into())
    }
}

/// `rgba` (a square icon) with a filled dot of `colour` in its lower right quarter,
/// ringed in white so it shows on dark and light task bars.
pub fn paint_dot(rgba: &mut [u8], size: u32, colour: [u8; 3]) {
    let s = size as f32;
    let r = s * 0.22;
    let (cx, cy) = (s - r - 0.5, s - r - 0.5);
    for y in 0..size {
        for x in 0..size {
            let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
            let px = ((y * size + x) * 4) as usize;
            if d <= r {
                rgba[px..px + 3].copy_from_slice(&colour);
                rgba[px + 3] = 255;
            } else if d <= r + s * 0.06 {
                rgba[px..px + 4].copy_from_slice(&[255, 255, 255, 255]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_states_and_tooltips() {
        assert_eq!(
            of_devices(3, &[]).tooltip(),
            "Plantlog: collecting (3 devices)"
        );
        assert_eq!(
            of_devices(3, &["press-1"]).tooltip(),
            "Plantlog: alarm: press-1 does not answer"
        );
        let two = of_devices(3, &["press-1", "meter"]);
        assert!(
            two.tooltip().contains("2 of 3 devices"),
            "{}",
            two.tooltip()
        );
        assert!(two.is_problem());
        assert!(!of_attached(true).is_problem());
        assert_ne!(of_attached(false).colour(), of_attached(true).colour());
    }

    #[test]
    fn the_dot_is_painted_in_the_corner_only() {
        let size = 32;
        let mut rgba = vec![0u8; (size * size * 4) as usize];
        paint_dot(&mut rgba, size, [1, 2, 3]);
        let at = |x: u32, y: u32| {
            let p = ((y * size + x) * 4) as usize;
            [rgba[p], rgba[p + 1], rgba[p + 2], rgba[p + 3]]
        };
        assert_eq!(at(24, 24), [1, 2, 3, 255]);
        assert_eq!(at(2, 2), [0, 0, 0, 0]);
    }
}
