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
