//! Links: how requests reach devices. Modbus TCP keeps one connection per address and
//! sets the unit id per request. Modbus RTU (on a serial port, or over TCP through a
//! gateway) shares one port among the units of a line: before each request it keeps
//! the line silent for the frame gap, throws away anything pending, and frames the
//! request afresh, so a late answer can never be read as the answer to the next one.
//!
//! The RTU code is generic over the port (anything that reads and writes bytes), as
//! tokio-modbus is: a serial port, a TCP stream and an in-memory pipe are the same to it.
//! Only reads are sent (functions 01 to 04): Plantlog never writes to a device.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_modbus::client::{Client, Context};
use tokio_modbus::prelude::SlaveContext;
use tokio_modbus::{ExceptionCode, ProtocolError, Request, Response, Slave};

use super::diag::ErrorKind;
use crate::config::{Bus, Device, Parity, PlantConfig, Protocol, RegisterKind};

/// What a read came back with.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Registers, or bits as 0/1 for coils and discrete inputs.
    Words(Vec<u16>),
}

/// Why a read failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
}

impl Failure {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }

    /// Whether the link must be reconnected before the next request.
    pub fn breaks_link(&self) -> bool {
        matches!(self.kind, ErrorKind::Connection)
    }
}

/// One read: the answer (or why not) and how long it took.
#[derive(Debug)]
pub struct Exchange {
    pub result: Result<Reply, Failure>,
    pub elapsed: Duration,
    /// Bytes seen on the line that were not part of the answer (RTU only).
    pub noise: usize,
}

/// A port RTU frames travel on. Reads and writes bytes, and can throw away what is
/// waiting to be read.
pub trait Port: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug + 'static {
    /// Discards input the OS holds for the port.
    fn clear_input(&mut self) -> io::Result<()>;
}

impl Port for tokio_serial::SerialStream {
    fn clear_input(&mut self) -> io::Result<()> {
        use tokio_serial::SerialPort;
        self.clear(tokio_serial::ClearBuffer::Input)
            .map_err(io::Error::other)
    }
}

impl Port for TcpStream {
    fn clear_input(&mut self) -> io::Result<()> {
        Ok(()) // what is buffered is drained by reading, in `drain`
    }
}

impl Port for tokio::io::DuplexStream {
    fn clear_input(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The shared state behind a port: the port itself, the bytes received during the
/// current exchange, and when the line was last busy.
#[derive(Debug)]
struct Tap {
    port: Box<dyn Port>,
    received: Vec<u8>,
    last_activity: Instant,
}

/// A handle to a port that tokio-modbus can own for one exchange; every handle reaches
/// the same port. Only the bus task uses it, one exchange at a time.
#[derive(Debug, Clone)]
struct PortHandle(Arc<Mutex<Tap>>);

impl PortHandle {
    fn lock(&self) -> std::sync::MutexGuard<'_, Tap> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl AsyncRead for PortHandle {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let mut tap = self.lock();
        let before = buf.filled().len();
        let r = Pin::new(&mut tap.port).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = r {
            let got = buf.filled()[before..].to_vec();
            if !got.is_empty() {
                tap.received.extend_from_slice(&got);
                tap.last_activity = Instant::now();
            }
        }
        r
    }
}

impl AsyncWrite for PortHandle {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let mut tap = self.lock();
        let r = Pin::new(&mut tap.port).poll_write(cx, buf);
        if let Poll::Ready(Ok(_)) = r {
            tap.last_activity = Instant::now();
        }
        r
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.lock().port).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.lock().port).poll_shutdown(cx)
    }
}

/// How to open the port of an RTU line.
#[derive(Debug, Clone)]
pub enum PortSpec {
    Serial(Bus),
    Tcp { host: String, port: u16 },
}

impl PortSpec {
    pub fn describe(&self) -> String {
        match self {
            PortSpec::Serial(bus) => bus.settings(),
            PortSpec::Tcp { host, port } => format!("{host}:{port} (RTU over TCP)"),
        }
    }

    async fn open(&self, limit: Duration) -> Result<Box<dyn Port>, Failure> {
        match self {
            PortSpec::Serial(bus) => open_serial(bus).map(|p| Box::new(p) as Box<dyn Port>),
            PortSpec::Tcp { host, port } => connect_tcp(host, *port, limit)
                .await
                .map(|s| Box::new(s) as Box<dyn Port>),
        }
    }

    /// The silence between frames: from the baud rate on a serial line; on TCP the
    /// gateway keeps it.
    fn frame_gap(&self) -> Duration {
        match self {
            PortSpec::Serial(bus) => bus.frame_gap(),
            PortSpec::Tcp { .. } => Duration::ZERO,
        }
    }
}

pub fn open_serial(bus: &Bus) -> Result<tokio_serial::SerialStream, Failure> {
    use tokio_serial::{DataBits, SerialPortBuilderExt, StopBits};
    let parity = match bus.parity {
        Parity::None => tokio_serial::Parity::None,
        Parity::Even => tokio_serial::Parity::Even,
        Parity::Odd => tokio_serial::Parity::Odd,
    };
    tokio_serial::new(&bus.port, bus.baud)
        .parity(parity)
        .data_bits(if bus.data_bits == 7 {
            DataBits::Seven
        } else {
            DataBits::Eight
        })
        .stop_bits(if bus.stop_bits == 2 {
            StopBits::Two
        } else {
            StopBits::One
        })
        .open_native_async()
        .map_err(|e| {
            Failure::new(
                ErrorKind::Connection,
                format!(
                    "cannot open serial port {}: {e}; check that the adapter is plugged in, the port name is right and no other program uses it",
                    bus.port
                ),
            )
        })
}

/// Connects with a deadline and switches on TCP keepalive, so a connection whose
/// other end vanished (a gateway that lost power) is noticed even between polls.
pub async fn connect_tcp(host: &str, port: u16, limit: Duration) -> Result<TcpStream, Failure> {
    let target = format!("{host}:{port}");
    let stream = match timeout(limit, TcpStream::connect(&target)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) if e.kind() == io::ErrorKind::ConnectionRefused => {
            return Err(Failure::new(
                ErrorKind::Connection,
                format!(
                    "cannot connect to {target}: connection refused (nothing answers at that port); check the address, the port and that the device is on"
                ),
            ));
        }
        Ok(Err(e)) => {
            return Err(Failure::new(
                ErrorKind::Connection,
                format!("cannot connect to {target}: {e}"),
            ));
        }
        Err(_) => {
            return Err(Failure::new(
                ErrorKind::Connection,
                format!("no connection to {target} within {} ms", limit.as_millis()),
            ));
        }
    };
    let _ = stream.set_nodelay(true);
    let keepalive = socket2::TcpKeepalive::new()
        .with_time(Duration::from_secs(10))
        .with_interval(Duration::from_secs(5));
    let _ = socket2::SockRef::from(&stream).set_tcp_keepalive(&keepalive);
    Ok(stream)
}

/// A Modbus TCP link: one connection, the unit id set per request.
pub struct TcpLink {
    host: String,
    port: u16,
    ctx: Option<Context>,
}

/// An RTU link: one port shared by the units of a line.
pub struct RtuLink {
    spec: PortSpec,
    tap: Option<PortHandle>,
}

pub enum Link {
    Tcp(TcpLink),
    Rtu(RtuLink),
}

/// What a link connects to; makes a fresh [`Link`].
#[derive(Debug, Clone)]
pub enum LinkSpec {
    Tcp { host: String, port: u16 },
    Rtu(PortSpec),
}

impl LinkSpec {
    /// The link a configured Modbus device is reached through; `None` for a serial line
    /// device, or an RTU device whose line is not configured.
    pub fn of_device(config: &PlantConfig, device: &Device) -> Option<LinkSpec> {
        let tcp = || (device.host.clone().unwrap_or_default(), device.tcp_port());
        match device.protocol {
            Protocol::ModbusTcp => {
                let (host, port) = tcp();
                Some(LinkSpec::Tcp { host, port })
            }
            Protocol::ModbusRtuOverTcp => {
                let (host, port) = tcp();
                Some(LinkSpec::Rtu(PortSpec::Tcp { host, port }))
            }
            Protocol::ModbusRtu => config
                .buses
                .iter()
                .find(|b| Some(&b.key) == device.bus.as_ref())
                .map(|b| LinkSpec::Rtu(PortSpec::Serial(b.clone()))),
            Protocol::SerialLine => None,
        }
    }

    pub fn link(&self) -> Link {
        match self {
            LinkSpec::Tcp { host, port } => Link::tcp(host, *port),
            LinkSpec::Rtu(p) => Link::rtu(p.clone()),
        }
    }
}

impl Link {
    pub fn tcp(host: &str, port: u16) -> Link {
        Link::Tcp(TcpLink {
            host: host.to_string(),
            port,
            ctx: None,
        })
    }

    pub fn rtu(spec: PortSpec) -> Link {
        Link::Rtu(RtuLink { spec, tap: None })
    }

    /// An RTU link on a port that is already open (tests use an in-memory pipe).
    pub fn rtu_on(port: Box<dyn Port>, frame_gap_ms: f64) -> Link {
        let bus = Bus {
            key: "pipe".into(),
            name: String::new(),
            port: "pipe".into(),
            baud: 115_200,
            parity: Parity::None,
            data_bits: 8,
            stop_bits: 1,
            frame_gap_ms: Some(frame_gap_ms),
        };
        Link::Rtu(RtuLink {
            spec: PortSpec::Serial(bus),
            tap: Some(PortHandle(Arc::new(Mutex::new(Tap {
                port,
                received: Vec::new(),
                last_activity: Instant::now(),
            })))),
        })
    }

    pub fn describe(&self) -> String {
        match self {
            Link::Tcp(t) => format!("{}:{}", t.host, t.port),
            Link::Rtu(r) => r.spec.describe(),
        }
    }

    pub fn is_open(&self) -> bool {
        match self {
            Link::Tcp(t) => t.ctx.is_some(),
            Link::Rtu(r) => r.tap.is_some(),
        }
    }

    /// Opens the connection or port if it is not open.
    pub async fn open(&mut self, limit: Duration) -> Result<(), Failure> {
        match self {
            Link::Tcp(t) => {
                if t.ctx.is_none() {
                    let stream = connect_tcp(&t.host, t.port, limit).await?;
                    t.ctx = Some(tokio_modbus::client::tcp::attach(stream));
                }
            }
            Link::Rtu(r) => {
                if r.tap.is_none() {
                    let port = r.spec.open(limit).await?;
                    r.tap = Some(PortHandle(Arc::new(Mutex::new(Tap {
                        port,
                        received: Vec::new(),
                        last_activity: Instant::now(),
                    }))));
                }
            }
        }
        Ok(())
    }

    pub fn close(&mut self) {
        match self {
            Link::Tcp(t) => t.ctx = None,
            Link::Rtu(r) => r.tap = None,
        }
    }

    /// Reads `count` registers or bits of `kind` at `address` from `unit`.
    pub async fn read(
        &mut self,
        unit: u8,
        kind: RegisterKind,
        address: u16,
        count: u16,
        limit: Duration,
    ) -> Exchange {
        if let Err(f) = self.open(limit).await {
            return Exchange {
                result: Err(f),
                elapsed: Duration::ZERO,
                noise: 0,
            };
        }
        match self {
            Link::Tcp(t) => {
                let ctx = t.ctx.as_mut().expect("opened above");
                ctx.set_slave(Slave(unit));
                let started = Instant::now();
                let result = call(ctx, kind, address, count, limit).await;
                let elapsed = started.elapsed();
                // After a timeout or a mismatched answer the stream may hold a late
                // answer: start a new connection.
                if let Err(f) = &result
                    && matches!(
                        f.kind,
                        ErrorKind::Timeout
                            | ErrorKind::LateAnswer
                            | ErrorKind::Connection
                            | ErrorKind::Framing
                    )
                {
                    t.ctx = None;
                }
                Exchange {
                    result,
                    elapsed,
                    noise: 0,
                }
            }
            Link::Rtu(r) => r.read(unit, kind, address, count, limit).await,
        }
    }

    /// Listens for `period` and throws away whatever arrives; returns how many bytes
    /// came (a late answer, when more than zero). RTU only; 0 on TCP.
    pub async fn drain_for(&mut self, period: Duration) -> usize {
        match self {
            Link::Rtu(r) => r.drain_for(period).await,
            Link::Tcp(_) => 0,
        }
    }
}

impl RtuLink {
    async fn read(
        &mut self,
        unit: u8,
        kind: RegisterKind,
        address: u16,
        count: u16,
        limit: Duration,
    ) -> Exchange {
        let handle = self.tap.clone().expect("opened by Link::read");
        // Keep the line silent for the frame gap, then throw away anything pending.
        let gap = self.spec.frame_gap();
        let quiet_since = handle.lock().last_activity;
        let wait = gap.saturating_sub(quiet_since.elapsed());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let mut noise = self.discard_pending().await;
        handle.lock().received.clear();

        let started = Instant::now();
        let mut ctx = tokio_modbus::client::rtu::attach_slave(handle.clone(), Slave(unit));
        let result = call(&mut ctx, kind, address, count, limit).await;
        let elapsed = started.elapsed();
        drop(ctx);

        let received = std::mem::take(&mut handle.lock().received);
        let expected = expected_len(kind, count);
        let result = match result {
            Ok(reply) => {
                noise += received.len().saturating_sub(expected);
                Ok(reply)
            }
            Err(f) if f.kind == ErrorKind::Timeout && !received.is_empty() => {
                Err(classify_garbled(&received, unit, expected, limit))
            }
            Err(f) => Err(f),
        };
        if let Err(f) = &result
            && f.kind == ErrorKind::Connection
        {
            self.tap = None;
        }
        Exchange {
            result,
            elapsed,
            noise,
        }
    }

    /// Reads and discards what is waiting now; returns the number of bytes.
    async fn discard_pending(&mut self) -> usize {
        let Some(handle) = self.tap.clone() else {
            return 0;
        };
        let _ = handle.lock().port.clear_input();
        let mut n = 0;
        let mut buf = [0u8; 256];
        loop {
            let mut h = handle.clone();
            let mut rb = ReadBuf::new(&mut buf);
            let waker = std::task::Waker::noop();
            let mut cx = TaskContext::from_waker(waker);
            match Pin::new(&mut h).poll_read(&mut cx, &mut rb) {
                Poll::Ready(Ok(())) if !rb.filled().is_empty() => n += rb.filled().len(),
                _ => break,
            }
        }
        n
    }

    async fn drain_for(&mut self, period: Duration) -> usize {
        let Some(handle) = self.tap.clone() else {
            return 0;
        };
        let mut n = 0;
        let deadline = tokio::time::Instant::now() + period;
        let mut buf = [0u8; 256];
        let mut h = handle.clone();
        loop {
            let mut rb = ReadBuf::new(&mut buf);
            let read = std::future::poll_fn(|cx| Pin::new(&mut h).poll_read(cx, &mut rb));
            match tokio::time::timeout_at(deadline, read).await {
                Ok(Ok(())) if !rb.filled().is_empty() => n += rb.filled().len(),
                Ok(_) => break, // end of stream or error: nothing more will come
                Err(_) => break,
            }
        }
        handle.lock().received.clear();
        n
    }
}

/// Length of a good RTU answer to a read: unit, function, byte count, data, CRC.
fn expected_len(kind: RegisterKind, count: u16) -> usize {
    let data = if kind.is_bits() {
        usize::from(count).div_ceil(8)
    } else {
        usize::from(count) * 2
    };
    3 + data + 2
}

/// What came instead of an answer: a frame whose CRC is wrong, or not a frame.
fn classify_garbled(received: &[u8], unit: u8, expected: usize, limit: Duration) -> Failure {
    const CRC: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_MODBUS);
    let n = received.len();
    if n >= 5 {
        // Look for a frame of the expected length from our unit whose CRC fails.
        for start in 0..n.saturating_sub(4) {
            let frame_len = if received.get(start + 1).is_some_and(|f| f & 0x80 != 0) {
                5
            } else {
                expected
            };
            if received[start] == unit && start + frame_len <= n {
                let body = &received[start..start + frame_len - 2];
                let crc = u16::from_le_bytes([
                    received[start + frame_len - 2],
                    received[start + frame_len - 1],
                ]);
                if CRC.checksum(body) != crc {
                    return Failure::new(
                        ErrorKind::Crc,
                        format!(
                            "answer with a wrong checksum ({n} bytes received); check the cable, its termination and that no other master is on the line"
                        ),
                    );
                }
            }
        }
    }
    Failure::new(
        ErrorKind::Framing,
        format!(
            "{n} bytes came back within {} ms but no whole answer; check baud rate, parity and wiring",
            limit.as_millis()
        ),
    )
}

/// One read call with a deadline, its outcome sorted into a reply or a failure.
async fn call(
    ctx: &mut Context,
    kind: RegisterKind,
    address: u16,
    count: u16,
    limit: Duration,
) -> Result<Reply, Failure> {
    // Only an error needs the request in words.
    let what = || {
        format!(
            "{} {} x{count} (function {:02})",
            kind.name(),
            kind.manual(address),
            kind.function_code()
        )
    };
    // The generic call, not the Reader helpers: those assert the answer's length in
    // debug builds, and a late answer of another length must be an error, not a panic.
    let request = match kind {
        RegisterKind::Holding => Request::ReadHoldingRegisters(address, count),
        RegisterKind::Input => Request::ReadInputRegisters(address, count),
        RegisterKind::Coil => Request::ReadCoils(address, count),
        RegisterKind::Discrete => Request::ReadDiscreteInputs(address, count),
    };
    let fut = async {
        ctx.call(request).await.map(|r| {
            r.map(|response| match response {
                Response::ReadHoldingRegisters(w) | Response::ReadInputRegisters(w) => w,
                Response::ReadCoils(b) | Response::ReadDiscreteInputs(b) => {
                    b.into_iter().map(u16::from).collect()
                }
                // call() rejects answers of another function; nothing to decode here.
                _ => Vec::new(),
            })
        })
    };
    match timeout(limit, fut).await {
        Ok(Ok(Ok(mut words))) => {
            // Bits come padded to whole bytes; registers must be exactly as asked.
            if kind.is_bits() && words.len() >= usize::from(count) {
                words.truncate(usize::from(count));
            }
            if words.len() == usize::from(count) {
                Ok(Reply::Words(words))
            } else {
                Err(Failure::new(
                    ErrorKind::LateAnswer,
                    format!(
                        "answer to {} held {} values instead of {count}: an answer to another request",
                        what(),
                        words.len()
                    ),
                ))
            }
        }
        Ok(Ok(Err(code))) => {
            let code = u8::from(code);
            Err(Failure::new(
                ErrorKind::Exception(code),
                format!("{} (reading {})", exception_explained(code), what()),
            ))
        }
        Ok(Err(tokio_modbus::Error::Protocol(p))) => Err(Failure::new(
            ErrorKind::LateAnswer,
            format!(
                "answer to {} did not match the request ({}): a late answer or another unit's",
                what(),
                match p {
                    ProtocolError::HeaderMismatch { message, .. } => message,
                    ProtocolError::FunctionCodeMismatch { request, .. } =>
                        format!("function {request:?} expected"),
                }
            ),
        )),
        Ok(Err(tokio_modbus::Error::Transport(e))) => Err(transport_failure(&what(), &e)),
        Err(_) => Err(Failure::new(
            ErrorKind::Timeout,
            format!("no answer to {} within {} ms", what(), limit.as_millis()),
        )),
    }
}

/// A transport error while reading, sorted: bytes that are not Modbus are framing;
/// anything else means the connection is gone, and is said so. The OS's words are kept
/// only when they add something: tokio-modbus reports a connection the peer closed with
/// the last OS error, which reads "Success" or "Resource temporarily unavailable" and
/// tells a person nothing.
fn transport_failure(what: &str, e: &io::Error) -> Failure {
    use io::ErrorKind as K;
    if e.kind() == K::InvalidData {
        return Failure::new(ErrorKind::Framing, format!("reading {what}: {e}"));
    }
    // 0: no error; 11 (Linux), 35 (macOS), 10035 (Windows): would block.
    let meaningless = matches!(e.raw_os_error(), Some(0 | 11 | 35 | 10035))
        || matches!(e.kind(), K::WouldBlock | K::UnexpectedEof);
    let detail = if meaningless {
        String::new()
    } else {
        format!(" ({e})")
    };
    Failure::new(
        ErrorKind::Connection,
        format!(
            "connection lost while reading {what}{detail}: the device or gateway closed it or went away; reconnecting"
        ),
    )
}

/// An exception code as a person needs it: "exception 2: illegal data address — the
/// register does not exist on this device; check the map or the unit id".
pub fn exception_explained(code: u8) -> String {
    let advice = match code {
        1 => {
            "the device does not support this kind of read; check the register type (holding, input, coil, discrete) in the map"
        }
        2 => "the register does not exist on this device; check the map or the unit id",
        3 => {
            "the device refuses a read of this size or at this place; lower max_registers or check the map"
        }
        4 => "the device failed while answering; check the device itself",
        5 => "the device took the request but needs longer; raise the timeout",
        6 => "the device is busy; poll it less often",
        8 => "the device reports a memory error; check the device",
        10 => "the gateway has no path to this unit; check the gateway's settings and the unit id",
        11 => {
            "the gateway got no answer from the unit behind it; check the unit id, the wiring and the gateway's serial settings"
        }
        _ => "a code the Modbus specification does not name; see the device's manual",
    };
    format!(
        "exception {code}: {} \u{2014} {advice}",
        exception_text(code)
    )
}

/// The Modbus specification's name of an exception code.
pub fn exception_text(code: u8) -> &'static str {
    match ExceptionCode::new(code) {
        ExceptionCode::IllegalFunction => "illegal function",
        ExceptionCode::IllegalDataAddress => "illegal data address",
        ExceptionCode::IllegalDataValue => "illegal data value",
        ExceptionCode::ServerDeviceFailure => "server device failure",
        ExceptionCode::Acknowledge => "acknowledge",
        ExceptionCode::ServerDeviceBusy => "server device busy",
        ExceptionCode::MemoryParityError => "memory parity error",
        ExceptionCode::GatewayPathUnavailable => "gateway path unavailable",
        ExceptionCode::GatewayTargetDevice => "gateway target device failed to respond",
        ExceptionCode::Custom(_) => "unknown exception",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exception_is_explained() {
        assert_eq!(
            exception_explained(2),
            "exception 2: illegal data address \u{2014} the register does not exist on this device; check the map or the unit id"
        );
        for code in [1, 3, 4, 5, 6, 8, 10, 11, 77] {
            let text = exception_explained(code);
            assert!(text.starts_with(&format!("exception {code}: ")), "{text}");
            assert!(text.contains("\u{2014} "), "{text}");
        }
    }

    /// Issue 9: the first error after a TCP peer drops says the connection was lost.
    #[tokio::test]
    async fn a_peer_that_drops_the_connection_is_reported_as_lost() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            // Accept, then go away without answering.
            let (socket, _) = listener.accept().await.unwrap();
            drop(socket);
        });
        let mut link = Link::tcp("127.0.0.1", port);
        let ex = link
            .read(1, RegisterKind::Holding, 0, 1, Duration::from_millis(2000))
            .await;
        server.await.unwrap();
        let f = ex.result.unwrap_err();
        assert_eq!(f.kind, ErrorKind::Connection);
        assert!(
            f.message
                .starts_with("connection lost while reading holding register 40001"),
            "{}",
            f.message
        );
        assert!(!link.is_open(), "the next request opens a new connection");
    }
}
