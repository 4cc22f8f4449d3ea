//! The serial ports of this PC (COM ports, USB adapters), for choosing a line's port.

use serde::Serialize;

/// A serial port and what it is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PortInfo {
    pub name: String,
    /// "USB 0403:6001 FTDI FT232R USB UART", "PCI", "serial".
    pub kind: String,
}

/// The serial ports present now.
pub fn serial_ports() -> Result<Vec<PortInfo>, String> {
    let ports =
        tokio_serial::available_ports().map_err(|e| format!("cannot list serial ports: {e}"))?;
    Ok(ports
        .into_iter()
        .map(|p| PortInfo {
            kind: describe(&p.port_type),
            name: p.port_name,
        })
        .collect())
}

fn describe(t: &tokio_serial::SerialPortType) -> String {
    match t {
        tokio_serial::SerialPortType::UsbPort(u) => format!(
            "USB {:04x}:{:04x}{}{}",
            u.vid,
            u.pid,
            u.manufacturer
                .as_deref()
                .map(|m| format!(" {m}"))
                .unwrap_or_default(),
            u.product
                .as_deref()
                .map(|m| format!(" {m}"))
                .unwrap_or_default()
        ),
        tokio_serial::SerialPortType::PciPort => "PCI".into(),
        tokio_serial::SerialPortType::BluetoothPort => "Bluetooth".into(),
        tokio_serial::SerialPortType::Unknown => "serial".into(),
    }
}
