# La línea de comandos: lo que lee una persona de la planta.

cli-error = error: { $message }
cli-file-written = { $file } ({ $bytes } bytes)

cli-users-none = Aún no hay usuarios: abra la interfaz web para crear la cuenta de administrador.
cli-users-disabled = (desactivado)
cli-users-no-such = no existe el usuario «{ $name }»
cli-users-new-password = Nueva contraseña para { $name }: { $password }
cli-users-must-change = Deberá elegir la suya en el próximo inicio de sesión.
cli-users-mfa-removed = El segundo factor de { $name } se ha eliminado. Donde su rol lo exige, lo configurará de nuevo en el próximo inicio de sesión.

cli-run-running = Plantlog está en marcha en { $url }
cli-run-data-folder = Carpeta de datos: { $folder }
cli-run-stopping = Deteniendo...
cli-run-no-admin = Aún no hay cuenta de administrador. Abra la dirección de arriba en este PC para crearla; la página de configuración pide este código:
cli-run-setup-code = Código de configuración: { $code }
cli-run-lan = La red de la planta llega a Plantlog por HTTPS en:
cli-run-certificate = Certificado: SHA-256 { $fingerprint }
cli-run-certificate-self-signed = Certificado (autofirmado): SHA-256 { $fingerprint }

cli-config-valid = { $file } es una configuración válida: { $machines } máquinas, { $devices } dispositivos, { $tags } variables
cli-config-imported = { $file } importado como versión de configuración { $version } en { $folder }
cli-config-unchanged = { $file } ya es la configuración en uso (versión { $version }); no ha cambiado nada
cli-config-none = { $folder } aún no tiene configuración; importe una con: plantlog config import ARCHIVO.toml
cli-config-wrote = Versión de configuración { $version } escrita en { $file }

cli-backup-done = Copia de { $folder } en { $backup }: { $size }, { $files } archivos, verificada (integridad correcta, { $tables } tablas y la muestra más reciente de { $tags } variables en el momento de la copia), duró { $seconds } s (la copia { $copy } s).
cli-backup-incremental = Incremental sobre { $parent }: { $stored } de { $pages } páginas cambiadas y guardadas.
cli-backup-verifies = La copia { $backup } es correcta: { $files } archivos con su SHA-256, integridad correcta, { $tables } tablas y la muestra más reciente de { $tags } variables según lo registrado ({ $size } de { $name }), duró { $seconds } s.
cli-backup-not-verified = la copia { $backup } no es correcta: { $problems }
cli-backup-restored = Se restauró la copia de { $name } en { $folder }.
cli-backup-kept-aside = Los datos que había se conservan en { $aside } (no se borró nada).
cli-backup-was-empty = La carpeta de datos estaba vacía.
cli-backup-none = No hay copias en { $folder }.
cli-backup-no-target = no hay destino de copia configurado para { $folder }: añada uno en la página Copias de seguridad, o indique una carpeta con --to
cli-backup-skipped = { $target }: { $why }; omitido.
cli-backup-target-done = { $target }: copia en { $backup } ({ $size }), verificada, duró { $seconds } s.
cli-backup-target-failed = { $target }: FALLÓ: { $error }
cli-backup-failed-count = { $count } destino(s) de copia fallaron
cli-backup-drill-failed = la prueba de restauración de { $backup } FALLÓ tras { $seconds } s: { $detail }
cli-backup-drill-passed = La prueba de restauración de { $backup } ({ $target }) se superó, duró { $seconds } s: { $detail }.

cli-sync-on = La sincronización está activa: sitio { $site } hacia { $url }, enviando { $streams }. El token se guarda { $kept }.
cli-sync-off = La sincronización está desactivada.
cli-sync-unlimited = La sincronización envía sin límite de ancho de banda.
cli-sync-limit = La sincronización envía como máximo { $bytes } bytes por segundo de media.

cli-service-installed = Servicio de Plantlog instalado: carpeta de datos { $folder }, interfaz web http://{ $addr }/
cli-service-started = Iniciado. Se inicia solo en cada arranque.
cli-service-removed = Servicio de Plantlog eliminado. Su carpeta de datos se conserva.
cli-service-stopped = Servicio de Plantlog detenido; no se registra nada hasta que vuelva a iniciarse.

cli-export-no-drive = No hay ninguna unidad extraíble conectada.
cli-export-no-label = (sin nombre)
cli-export-drive-free = { $free } GiB libres de { $size } GiB
cli-export-nothing = elija qué exportar: --reports, --tags, --config o --audit
cli-export-done = { $files } archivos, { $bytes } bytes, cada suma de comprobación releída y verificada. Se puede retirar.
cli-export-cancelling = cancelando; pulse Ctrl+C otra vez para parar en el acto

cli-forget-user-plan = { $user } ({ $name }) pasa a ser { $pseudonym }: se eliminan los datos de acceso, { $sessions } sesiones y la dirección de correo; { $audit } registros de auditoría lo nombran o fueron hechos por esa persona.
cli-forget-rows-name-them = { $table }: { $rows } filas la nombran
cli-forget-to-do-it = Para hacerlo: { $command }
cli-forget-confirm-unchanged = --confirm debe ser exactamente { $phrase }; no se cambió nada
cli-forget-confirm-removed = --confirm debe ser exactamente { $phrase }; no se eliminó nada
cli-forget-user-done = Hecho: { $rows } filas cambiadas, { $audit } registros de auditoría reescritos como { $pseudonym } y reenlazados (cabeza de la cadena { $head }); la base de datos pasó de { $before } a { $after } bytes.
cli-forget-tag-plan = { $name } (variable { $id }): se eliminarían { $samples } muestras y { $rollups } filas agregadas.
cli-forget-tag-done = Hecho: { $rows } filas eliminadas, auditado, la base de datos compactada.
cli-forget-rows-removed = { $table }: { $rows } filas eliminadas
cli-forget-rows-unlinked = { $table }: { $rows } filas desvinculadas, conservadas
cli-forget-archived = archivado primero en { $file }
cli-forget-history-done = Hecho: { $samples } muestras eliminadas, auditado; la base de datos pasó de { $before } a { $after } bytes.

cli-takeout-done = { $files } archivos, { $bytes } bytes, { $samples } muestras hasta { $until }{ $resumed }; cada archivo releído y comprobado con SHA256SUMS ({ $sums }).
cli-takeout-resumed = , { $resumed } de { $parts } partes conservadas de la ejecución interrumpida
cli-takeout-schema = Qué contiene: schema.md
cli-takeout-stopping = se detiene tras este paso; ejecute el mismo comando otra vez para continuar

cli-wrote = Se escribió { $file }

cli-audit-broken = la cadena del registro de auditoría está rota en el registro { $id }: { $reason }. Los registros anteriores están intactos ({ $checked } comprobados).
cli-audit-intact = El registro de auditoría está intacto: { $records } registros ({ $first } a { $last }), cada uno sigue del anterior.
cli-audit-head = Hash final: { $head }
cli-audit-empty = El registro de auditoría está vacío.

cli-support-wrote = Se escribió { $file } ({ $bytes } bytes, { $files } archivos) desde { $folder }
cli-support-no-problems = No hay advertencias ni errores en los registros de { $folder }.

cli-import-samples = Se importaron { $samples } muestras de { $tags } variables ({ $from } a { $to }) de { $file } en { $folder }
cli-import-events = Importado de { $file }: { $reasons } motivos, { $stops } motivos de paro, { $planned } paros planificados, { $scrap } registros de desecho, { $cycles } tiempos de ciclo ideales

cli-quality-no-config = { $folder } aún no tiene configuración; los productos se refieren a sus máquinas: importe una primero con plantlog config import ARCHIVO.toml
cli-quality-imported = Se importó { $file } en { $folder }: productos { $products_added } nuevos, { $products_changed } cambiados; características { $characteristics_added } nuevas, { $characteristics_retired } retiradas (sus inspecciones se conservan); materiales { $materials_added } nuevos, { $materials_changed } cambiados

cli-trace-not-found = no hay ningún lote de producción, lote de proveedor ni lote de material «{ $lot }» en { $folder }
cli-trace-material-lot = Lote de material { $code }: { $quantity } { $unit } { $material } de { $supplier } (lote de proveedor { $supplier_lot }), recibido { $received }, { $on_hand } en existencia
cli-trace-used-in = Usado en { $count } lotes de producción:
cli-trace-lot = { $code }  { $product } en { $machine }  { $from } a { $to }
cli-trace-running = en curso

cli-modbus-not-a-port = «{ $port }» no es un número de puerto
cli-modbus-parity = la paridad «{ $parity }» no es none, even ni odd
cli-modbus-where = indique dónde leer: exactamente uno de --tcp HOST[:PUERTO], --rtu-tcp HOST:PUERTO, --serial PUERTO
cli-modbus-not-a-type = «{ $given }» no es un tipo: bool, bit, u16, i16, u32, i32, u64, i64, f32, f64, string
cli-modbus-not-an-order = «{ $given }» no es un orden: ABCD, CDAB, BADC, DCBA
cli-modbus-request = { $request } en { $link }
cli-modbus-not-a-number = no es un número
cli-modbus-unit = unidad { $unit }
cli-modbus-scanned = Explorado { $line }: { $asked }
cli-modbus-no-unit = Ninguna unidad respondió. Revise el cableado, la velocidad en baudios y la paridad.
cli-modbus-answers = unidad { $unit }: responde, { $ms } ms
cli-modbus-answers-exception = unidad { $unit }: responde (excepción { $code } para este registro), { $ms } ms
cli-modbus-no-ports = No se encontraron puertos serie. Conecte el adaptador RS-485 e inténtelo de nuevo.

cli-demo-generating = Generando { $days } días de historial de la planta de demostración (solo en una carpeta de datos nueva)...
cli-demo-history-days = --history-days { $days }: indique de 0,01 a 3660 días
cli-demo-ready = Listo tras { $seconds } s.
cli-demo-running = La planta de demostración de Plantlog funciona en { $url }
cli-demo-users = Usuarios de demostración (contraseñas nuevas en cada inicio):
cli-demo-role = rol
cli-demo-username = usuario
cli-demo-password = contraseña
cli-demo-stop = Detener con Ctrl+C.

cli-forget-machine-plan = { $key } ({ $name }): se eliminarían { $samples } muestras de { $tags } variables y estas filas (la base de datos tiene { $bytes } bytes):
cli-forget-rows = { $table }: { $rows } filas
cli-forget-rows-would-unlink = { $table }: { $rows } filas desvinculadas de la máquina y sus lotes (se conservan: las existencias siguen siendo correctas)
cli-forget-class = --class es uno de raw, minute, hour, audit
cli-forget-date = la fecha se escribe como 2026-01-31 (desde las 00:00 UTC) o 2026-01-31T12:00:00Z
cli-forget-future = { $date } está en el futuro; elija una fecha hasta hoy
cli-forget-before-plan = { $class } antes de { $date }: se eliminarían { $rows } filas de { $table } ({ $samples } muestras) (la base de datos tiene { $bytes } bytes).

cli-reset-plan = Un restablecimiento de fábrica elimina todo en { $folder } ({ $entries } entradas, { $bytes } bytes): la base de datos con todas las muestras, los usuarios, el registro de auditoría y la configuración.
cli-reset-export-first = Saque primero todo con --export-to CARPETA (una exportación completa y verificada antes de eliminar nada).
cli-reset-confirm = --confirm debe ser { $phrase }; no se eliminó nada
cli-reset-stop-first = detenga primero Plantlog (el servicio o la ventana)
cli-reset-export-failed = la exportación final no terminó; no se eliminó nada
cli-reset-exported = Exportación final: { $folder } ({ $files } archivos, verificada)
cli-reset-done = { $folder } está vacía: Plantlog empieza allí como en un PC nuevo.

cli-backup-waiting-for-stick = esperando la memoria USB con la etiqueta «{ $label }»: no está conectada
cli-backup-good = correcta
cli-backup-state-failed = FALLÓ: { $why }
cli-backup-incomplete = incompleta: { $why }
cli-backup-full = completa
cli-backup-incremental-on = incremental sobre { $parent }
cli-backup-encrypted = { $kind }, cifrada

## Rechazos y errores del propio comando.

cli-no-runtime = no se puede iniciar el entorno asíncrono
cli-cannot-read = no se puede leer { $file }
cli-cannot-write = no se puede escribir { $file }
cli-cannot-create-folder = no se puede crear la carpeta de datos { $folder }
cli-cannot-open-folder = no se puede abrir la carpeta de datos { $folder }
cli-cannot-remove = no se puede eliminar { $file }
cli-cannot-read-key = no se puede leer el archivo de la clave de recuperación { $file }
cli-config-changed-since = Cambios desde la versión { $base }:
cli-bad-time = { $flag }: «{ $given }» no es un día ni una hora; escriba un día (2026-03-02), una hora en RFC 3339 con desfase («2026-03-02T06:14:03+01:00» o «...Z») o milisegundos UTC
cli-bad-delimiter = --delimiter debe ser un solo carácter ASCII, como , o ;
cli-export-no-report = --reports: no hay informe «{ $given }»; shift, production, energy o tag
cli-export-no-format = --reports: no hay formato «{ $given }»; pdf, xlsx o csv
cli-export-file = { $name }  { $size } bytes  { $sha }
cli-service-ended = el servicio de Plantlog se detuvo
cli-log-warning = aviso: { $error }; el registro va solo a la consola
cli-service-status-none = El servicio de Plantlog no está instalado. Instálelo con: plantlog service install
cli-service-status = Servicio de Plantlog: { $state }
cli-service-status-pid = Proceso: { $pid }
cli-service-status-folder = Carpeta de datos: { $folder }
cli-service-status-url = Disponible en: { $url }
