//! Windows: the service control manager runs `plantlog.exe service run ...` as
//! LocalService at boot (delayed automatic start, restarted after a failure). Install,
//! uninstall, start and stop need an administrator's console; status does not.

use std::ffi::OsString;
use std::sync::OnceLock;
use std::time::Duration;

use windows_service::service::{
    ServiceAccess, ServiceAction, ServiceActionType, ServiceControl, ServiceControlAccept,
    ServiceErrorControl, ServiceExitCode, ServiceFailureActions, ServiceFailureResetPeriod,
    ServiceInfo, ServiceStartType, ServiceState, ServiceStatus as WinStatus, ServiceType,
};
use windows_service::service_control_handler::{self, ServiceControlHandlerResult};
use windows_service::service_manager::{ServiceManager, ServiceManagerAccess};
use windows_service::{define_windows_service, service_dispatcher};

use super::{
    DESCRIPTION, DISPLAY_NAME, LOCAL_SERVICE_SID, SERVICE_NAME, ServiceConfig, ServiceError,
    ServiceStatus, WINDOWS_ACCOUNT,
};

/// Win32 error: the service does not exist.
const ERROR_SERVICE_DOES_NOT_EXIST: i32 = 1060;
/// Win32 error: access denied.
const ERROR_ACCESS_DENIED: i32 = 5;

fn win(what: &'static str) -> impl FnOnce(windows_service::Error) -> ServiceError {
    move |source| {
        if let windows_service::Error::Winapi(e) = &source {
            if e.raw_os_error() == Some(ERROR_ACCESS_DENIED) {
                return ServiceError::NotAdmin {
                    what,
                    hint: "open the console with \"Run as administrator\" and try again",
                };
            }
            if e.raw_os_error() == Some(ERROR_SERVICE_DOES_NOT_EXIST) {
                return ServiceError::NotInstalled;
            }
        }
        ServiceError::Windows { what, source }
    }
}

fn manager(
    access: ServiceManagerAccess,
    what: &'static str,
) -> Result<ServiceManager, ServiceError> {
    ServiceManager::local_computer(None::<&str>, access).map_err(win(what))
}

/// Registers the service (automatic, delayed start; restart after a failure) and gives
/// LocalService the data folder. `start` starts it now.
pub fn install(config: &ServiceConfig) -> Result<(), ServiceError> {
    const WHAT: &str = "install the Plantlog service";
    crate::os::paths::check_data_dir(&config.data_dir)?;
    let m = manager(
        ServiceManagerAccess::CONNECT | ServiceManagerAccess::CREATE_SERVICE,
        WHAT,
    )?;
    std::fs::create_dir_all(&config.data_dir).map_err(|source| ServiceError::Io {
        what: format!("create {}", config.data_dir.display()),
        source,
    })?;
    // LocalService may change what is in the folder, and what is created in it later.
    super::command(
        "icacls",
        &[
            &config.data_dir.to_string_lossy(),
            "/grant",
            &format!("{LOCAL_SERVICE_SID}:(OI)(CI)M"),
            "/T",
            "/Q",
        ],
    )?;
    let info = ServiceInfo {
        name: SERVICE_NAME.into(),
        display_name: DISPLAY_NAME.into(),
        service_type: ServiceType::OWN_PROCESS,
        start_type: ServiceStartType::AutoStart,
        error_control: ServiceErrorControl::Normal,
        executable_path: config.exe.clone(),
        launch_arguments: config.run_arguments(),
        dependencies: vec![],
        account_name: Some(WINDOWS_ACCOUNT.into()),
        account_password: None,
    };
    let service = m
        .create_service(&info, ServiceAccess::CHANGE_CONFIG | ServiceAccess::START)
        .map_err(win(WHAT))?;
    service.set_description(DESCRIPTION).map_err(win(WHAT))?;
    service.set_delayed_auto_start(true).map_err(win(WHAT))?;
    let restart = ServiceAction {
        action_type: ServiceActionType::Restart,
        delay: Duration::from_secs(10),
    };
    service
        .update_failure_actions(ServiceFailureActions {
            reset_period: ServiceFailureResetPeriod::After(Duration::from_secs(86_400)),
            reboot_msg: None,
            command: None,
            actions: Some(vec![restart.clone(), restart.clone(), restart]),
        })
        .map_err(win(WHAT))?;
    service
        .set_failure_actions_on_non_crash_failures(true)
        .map_err(win(WHAT))?;
    Ok(())
}

/// Stops the service if it runs and removes it. The data folder stays.
pub fn uninstall() -> Result<(), ServiceError> {
    const WHAT: &str = "remove the Plantlog service";
    let m = manager(ServiceManagerAccess::CONNECT, WHAT)?;
    let service = m
        .open_service(
            SERVICE_NAME,
            ServiceAccess::QUERY_STATUS | ServiceAccess::STOP | ServiceAccess::DELETE,
        )
        .map_err(win(WHAT))?;
    if service.query_status().map_err(win(WHAT))?.current_state != ServiceState::Stopped {
        let _ = service.stop();
        wait_for(&service, ServiceState::Stopped, Duration::from_secs(30));
    }
    service.delete().map_err(win(WHAT))?;
    Ok(())
}

pub fn start() -> Result<(), ServiceError> {
    const WHAT: &str = "start the Plantlog service";
    let m = manager(ServiceManagerAccess::CONNECT, WHAT)?;
    let service = m
        .open_service(
            SERVICE_NAME,
            ServiceAccess::QUERY_STATUS | ServiceAccess::START,
        )
        .map_err(win(WHAT))?;
    service.start::<OsString>(&[]).map_err(win(WHAT))?;
    wait_for(&service, ServiceState::Running, Duration::from_secs(30));
    Ok(())
}

pub fn stop() -> Result<(), ServiceError> {
    const WHAT: &str = "stop the Plantlog service";
    let m = manager(ServiceManagerAccess::CONNECT, WHAT)?;
    let service = m
        .open_service(
            SERVICE_NAME,
            ServiceAccess::QUERY_STATUS | ServiceAccess::STOP,
        )
        .map_err(win(WHAT))?;
    service.stop().map_err(win(WHAT))?;
    wait_for(&service, ServiceState::Stopped, Duration::from_secs(30));
    Ok(())
}

fn wait_for(service: &windows_service::service::Service, state: ServiceState, max: Duration) {
    let until = std::time::Instant::now() + max;
    while std::time::Instant::now() < until {
        match service.query_status() {
            Ok(s) if s.current_state == state => return,
            Ok(_) => std::thread::sleep(Duration::from_millis(250)),
            Err(_) => return,
        }
    }
}

pub fn status() -> Result<ServiceStatus, ServiceError> {
    const WHAT: &str = "read the Plantlog service's status";
    let m = manager(ServiceManagerAccess::CONNECT, WHAT)?;
    let service = match m.open_service(
        SERVICE_NAME,
        ServiceAccess::QUERY_STATUS | ServiceAccess::QUERY_CONFIG,
    ) {
        Ok(s) => s,
        Err(e) => {
            return match win(WHAT)(e) {
                ServiceError::NotInstalled => Ok(ServiceStatus {
                    installed: false,
                    state: String::new(),
                    pid: None,
                    data_dir: None,
                    url: None,
                }),
                other => Err(other),
            };
        }
    };
    let s = service.query_status().map_err(win(WHAT))?;
    let config = service.query_config().map_err(win(WHAT))?;
    // The configured command line: "C:\...\plantlog.exe" service run --data-dir "..."
    let line = config.executable_path.to_string_lossy().to_string();
    let args = super::split_windows_command_line(&line);
    let data_dir = super::data_dir_from_arguments(&args);
    let url = data_dir
        .as_deref()
        .and_then(crate::store::DataLock::holder)
        .and_then(|h| h.url);
    let state = match s.current_state {
        ServiceState::Stopped => "stopped",
        ServiceState::StartPending => "starting",
        ServiceState::StopPending => "stopping",
        ServiceState::Running => "running",
        ServiceState::ContinuePending => "continuing",
        ServiceState::PausePending => "pausing",
        ServiceState::Paused => "paused",
    };
    Ok(ServiceStatus {
        installed: true,
        state: state.to_string(),
        pid: s.process_id,
        data_dir,
        url,
    })
}

static CONFIG: OnceLock<ServiceConfig> = OnceLock::new();

define_windows_service!(ffi_service_main, service_main);

/// `plantlog service run` on Windows: hands this process to the service control
/// manager, which then calls `service_main`. Returns when the service has stopped.
/// Started by hand from a console (not by the SCM), it fails at once; the caller then
/// runs the core in the console instead.
pub fn run_dispatcher(config: ServiceConfig) -> Result<(), windows_service::Error> {
    let _ = CONFIG.set(config);
    service_dispatcher::start(SERVICE_NAME, ffi_service_main)
}

fn service_main(_arguments: Vec<OsString>) {
    let Some(config) = CONFIG.get().cloned() else {
        return;
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let stop_tx = std::sync::Mutex::new(Some(stop_tx));
    let handler = move |control| match control {
        ServiceControl::Stop | ServiceControl::Shutdown | ServiceControl::Preshutdown => {
            if let Some(tx) = stop_tx.lock().unwrap_or_else(|e| e.into_inner()).take() {
                let _ = tx.send(());
            }
            ServiceControlHandlerResult::NoError
        }
        ServiceControl::Interrogate => ServiceControlHandlerResult::NoError,
        _ => ServiceControlHandlerResult::NotImplemented,
    };
    let handle = match service_control_handler::register(SERVICE_NAME, handler) {
        Ok(h) => h,
        Err(e) => {
            tracing::error!("cannot register the service control handler: {e}");
            return;
        }
    };
    let status = |state, exit: ServiceExitCode, accept| WinStatus {
        service_type: ServiceType::OWN_PROCESS,
        current_state: state,
        controls_accepted: accept,
        exit_code: exit,
        checkpoint: 0,
        wait_hint: Duration::from_secs(30),
        process_id: None,
    };
    let _ = handle.set_service_status(status(
        ServiceState::StartPending,
        ServiceExitCode::NO_ERROR,
        ServiceControlAccept::empty(),
    ));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            let _ = handle.set_service_status(status(
                ServiceState::Stopped,
                ServiceExitCode::ServiceSpecific(1),
                ServiceControlAccept::empty(),
            ));
            return;
        }
    };
    let _ = handle.set_service_status(status(
        ServiceState::Running,
        ServiceExitCode::NO_ERROR,
        ServiceControlAccept::STOP | ServiceControlAccept::SHUTDOWN,
    ));
    let result = runtime.block_on(super::run_core(&config, async {
        let _ = stop_rx.await;
    }));
    let exit = match result {
        Ok(()) => ServiceExitCode::NO_ERROR,
        Err(e) => {
            tracing::error!("the Plantlog service stopped: {e}");
            ServiceExitCode::ServiceSpecific(1)
        }
    };
    drop(runtime);
    let _ = handle.set_service_status(status(
        ServiceState::Stopped,
        exit,
        ServiceControlAccept::empty(),
    ));
}
