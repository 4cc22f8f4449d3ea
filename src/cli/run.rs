//! `plantlog run` and `plantlog demo`: start the core (and for the demo its simulated
//! plant), print where it serves, and stop cleanly on Ctrl+C or SIGTERM.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::{Result, bail};

use plantlog::app::{self, DEFAULT_PORT, Listen};
use plantlog::tr;

use super::lang;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Port of the web UI and API; 0 takes any free port.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Address to listen on. 127.0.0.1 serves only this PC; 0.0.0.0 serves the plant
    /// LAN too.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    listen: IpAddr,
}

/// The line `plantlog run --desktop` starts its address with, for the desktop app.
pub const DESKTOP_URL: &str = "desktop-url: ";

/// `plantlog run`; `desktop` when the desktop app started it (see [`stdin_closed`]).
pub async fn serve(data_dir: PathBuf, args: ServeArgs, desktop: bool) -> Result<()> {
    let running = app::start(app::Options {
        data_dir: data_dir.clone(),
        listen: Listen::Addr {
            addr: SocketAddr::new(args.listen, args.port),
            fallback: desktop,
        },
        what: if desktop {
            "Plantlog desktop".to_string()
        } else {
            "plantlog run".to_string()
        },
    })
    .await?;
    plant_language(&running).await;
    if desktop {
        // For the app that started this core, on the pipe only it reads: the address to
        // open, with the one-time setup code while there is no admin yet (the window
        // opens the setup page filled in).
        println!("{DESKTOP_URL}{}", running.url());
    }
    println!("{}", tr!(lang(), "cli-run-running", url = running.url()));
    println!(
        "{}",
        tr!(
            lang(),
            "cli-run-data-folder",
            folder = data_dir.display().to_string()
        )
    );
    print_security(&running);
    if desktop {
        tokio::select! {
            _ = wait_for_stop() => {}
            _ = stdin_closed() => {}
        }
    } else {
        wait_for_stop().await;
    }
    // Not println: when the app that started this core was killed, the pipe is gone,
    // and a failed print must not end the core before its last samples are written.
    let _ = writeln!(std::io::stdout(), "{}", tr!(lang(), "cli-run-stopping"));
    running.shutdown().await;
    Ok(())
}

/// Resolves when standard input reaches its end. The desktop app holds the other end
/// of the pipe: it closes it to stop the core it started, and when the app ends in any
/// way (quit, crash, killed) the OS closes it, so a core the app started never outlives
/// it. This works the same on Windows, which has no SIGTERM.
async fn stdin_closed() {
    let (done, closed) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut sink = [0u8; 256];
        let mut stdin = std::io::stdin().lock();
        loop {
            match stdin.read(&mut sink) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = done.send(());
    });
    let _ = closed.await;
}

pub async fn demo(data_dir: PathBuf, args: ServeArgs, history_days: Option<f64>) -> Result<()> {
    let history_ms = match history_days {
        Some(d) if d > 0.0 && d <= 3660.0 => {
            println!(
                "{}",
                tr!(lang(), "cli-demo-generating", days = super::number(d))
            );
            (d * 86_400_000.0) as i64
        }
        Some(d) => bail!(
            "{}",
            tr!(lang(), "cli-demo-history-days", days = super::number(d))
        ),
        None => plantlog::sim::demo::DEFAULT_HISTORY_MS,
    };
    let started = std::time::Instant::now();
    let demo = plantlog::sim::demo::start_with_history(
        &data_dir,
        Listen::Addr {
            addr: SocketAddr::new(args.listen, args.port),
            fallback: true,
        },
        history_ms,
    )
    .await?;
    plant_language(&demo.running).await;
    let l = lang();
    if history_days.is_some() {
        println!(
            "{}",
            tr!(
                l,
                "cli-demo-ready",
                seconds = format!("{:.0}", started.elapsed().as_secs_f64())
            )
        );
    }
    let mut text = format!(
        "{}\n{}\n\n{}\n  {} {} {}\n",
        tr!(l, "cli-demo-running", url = demo.running.url()),
        tr!(
            l,
            "cli-run-data-folder",
            folder = data_dir.display().to_string()
        ),
        tr!(l, "cli-demo-users"),
        pad(&tr!(l, "cli-demo-role"), 12),
        pad(&tr!(l, "cli-demo-username"), 12),
        tr!(l, "cli-demo-password"),
    );
    for u in &demo.users {
        text.push_str(&format!(
            "  {:<12} {:<12} {}\n",
            u.role.name(),
            u.username,
            u.password
        ));
    }
    text.push('\n');
    text.push_str(&tr!(l, "cli-demo-stop"));
    println!("{text}");
    print_security(&demo.running);
    wait_for_stop().await;
    println!("{}", tr!(lang(), "cli-run-stopping"));
    demo.running.shutdown().await;
    drop(demo.simulator);
    Ok(())
}

/// `s` padded with spaces to `width` columns (a CJK character takes two).
fn pad(s: &str, width: usize) -> String {
    let cols: usize = s
        .chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(cols)))
}

/// The startup lines speak the plant's language unless `--lang` or `PLANTLOG_LANG`
/// chose another.
async fn plant_language(running: &app::Running) {
    let _ = running
        .core
        .db()
        .run(|c| {
            plantlog::i18n::plant_default(c);
            Ok::<_, plantlog::core::Error>(())
        })
        .await;
}

/// The first-run setup code and the plant LAN's addresses and certificate fingerprint.
fn print_security(running: &app::Running) {
    if let Some(code) = running.setup_code() {
        println!(
            "\n{}\n  {}",
            tr!(lang(), "cli-run-no-admin"),
            tr!(lang(), "cli-run-setup-code", code = code)
        );
    }
    let lan = running.lan();
    if lan.lan {
        println!("\n{}", tr!(lang(), "cli-run-lan"));
        for u in &lan.urls {
            println!("  {u}");
        }
        if let Some(c) = &lan.certificate {
            let id = if c.self_signed {
                "cli-run-certificate-self-signed"
            } else {
                "cli-run-certificate"
            };
            println!(
                "{}",
                tr!(lang(), id, fingerprint = c.fingerprint_sha256.as_str())
            );
        }
    }
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
