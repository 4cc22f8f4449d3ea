# The data passport (src/passport) as a document, made from the UI's catalogues
# ui/src/i18n/passfacts/es.json (the facts' words; "doc": the document's frame) and
# ui/src/i18n/passport/es.json (section titles and fact labels) by
# ui/src/lib/passportftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/passportwords

## Section titles and fact labels.

passport-section-collected = Qué se recoge
passport-section-stored = Dónde se guarda
passport-section-access = Quién puede acceder
passport-section-protection = Cómo se protege
passport-section-outage = Cuando falla internet
passport-section-retention = Cuánto tiempo se guarda
passport-section-backups = Copias de seguridad
passport-section-leaves = Qué sale de la planta
passport-section-ownership = De quién son los datos y cómo sacarlos
passport-fact-collected-devices = Dispositivos
passport-fact-collected-tags = Tags
passport-fact-collected-poll_rates = Frecuencias de lectura
passport-fact-collected-recording = Reglas de registro
passport-fact-collected-stop_reasons = Motivos de parada indicados por personas
passport-fact-collected-scrap = Registros de chatarra
passport-fact-collected-counter_reviews = Revisiones de contadores
passport-fact-collected-quality = Registros de controles de calidad
passport-fact-collected-logins = Inicios de sesión registrados
passport-fact-collected-audit = Entradas del registro de auditoría
passport-fact-stored-database = Archivo de base de datos
passport-fact-stored-data_dir = Carpeta de datos
passport-fact-stored-size = Tamaño (archivo y registro de escritura anticipada)
passport-fact-stored-free = Espacio libre en su unidad
passport-fact-stored-growth = Crecimiento por día
passport-fact-stored-days_left = Días restantes a ese ritmo
passport-fact-stored-memory_only = Solo en memoria
passport-fact-access-users = Usuarios por rol
passport-fact-access-vendors = Cuentas de proveedores
passport-fact-access-displays = Tokens de pantalla (tableros de solo lectura)
passport-fact-access-lan = Acceso en la LAN
passport-fact-access-sessions = Sesiones abiertas
passport-fact-access-permissions = Matriz de permisos
passport-fact-protection-password = Regla de contraseñas
passport-fact-protection-lockout = Bloqueo
passport-fact-protection-mfa = Segundo factor obligatorio para
passport-fact-protection-sessions = Tiempos de sesión
passport-fact-protection-tls = TLS
passport-fact-protection-audit_chain = Integridad del registro de auditoría (verificada ahora)
passport-fact-protection-backup_encryption = Cifrado de las copias
passport-fact-outage-keeps_working = Qué sigue funcionando
passport-fact-outage-sync_queue = Cola de sincronización
passport-fact-outage-mail_queue = Cola de correo
passport-fact-retention-raw = Muestras sin procesar
passport-fact-retention-minute = Resúmenes por minuto
passport-fact-retention-hour = Resúmenes por hora
passport-fact-retention-audit = Registro de auditoría
passport-fact-retention-archive = Archivar antes de borrar
passport-fact-retention-purges = Historial de purgas
passport-fact-backups-targets = Destinos
passport-fact-backups-last_good = Última copia buena verificada
passport-fact-backups-drill = Último simulacro de restauración
passport-fact-leaves-sync = Sincronización con un servidor central
passport-fact-leaves-sync_data = Qué datos
passport-fact-leaves-last_sent = Último envío
passport-fact-leaves-mail = Correo de alarmas
passport-fact-leaves-nothing_else = Nada más
passport-fact-ownership-owner = Propietario
passport-fact-ownership-formats = Exportación completa
passport-fact-ownership-last_export = Última exportación completa
passport-fact-ownership-deletion = Borrado a petición

## The facts.

passport-text = { $text }
passport-count = { $n }
passport-size = { $size }
passport-list_sep = ,{" "}
passport-never = nunca
passport-utc = { $time } UTC
passport-bytes = { $n ->
         [one] { $n } byte
        *[other] { $n } bytes
    }
passport-span_s = { $n } s
passport-span_min = { $n } min
passport-span_h = { $n } h
passport-span_days = { $n ->
         [one] { $n } día
        *[other] { $n } días
    }
passport-not_configured = no configurado
passport-none = ninguno
passport-none_yet = ninguno todavía
passport-off = desactivado
passport-off_not_configured = desactivado (no configurado)
passport-list = { $items }
passport-role_operator = Operario
passport-role_supervisor = Supervisor
passport-role_maintenance = Mantenimiento
passport-role_quality = Calidad
passport-role_stores = Almacén
passport-role_management = Dirección
passport-role_admin = Administrador
passport-device_item = { $name } ({ $key }): { $tags ->
         [one] { $tags } variable
        *[other] { $tags } variables
    }, leído cada { $ms } ms
passport-tag_item = { $device }/{ $tag }: { $unit }, cada { $ms } ms, guardado { $policy }
passport-no_unit = sin unidad
passport-record_every_poll = en cada lectura
passport-record_on_change = al cambiar
passport-record_deadband = con banda muerta
passport-record_swinging_door = con puerta giratoria (swinging door)
passport-poll_rate = { $n ->
         [one] { $n } variable
        *[other] { $n } variables
    } cada { $ms } ms
passport-recording_item = { $n ->
         [one] { $n } variable
        *[other] { $n } variables
    } { $policy }
passport-free_of = { $free } de { $total }
passport-not_measured = aún no medido
passport-growth = { $size } al día (según las muestras guardadas en los últimos { $covered }; medido sobre { $days } días como máximo y una hora como mínimo)
passport-growth_none = ninguna muestra guardada en los últimos { $days } días
passport-days = { $n ->
         [one] { $n } día
        *[other] { $n } días
    }
passport-not_measurable = aún no medible
passport-memory_only = el último valor de cada variable y el flujo en vivo (cada lectura se muestra en vivo; lo que se guarda sigue la política de registro de cada variable)
passport-role_count = { $n } { $role }
passport-user_item = { $role }: { $name } ({ $username }): último acceso { $last }, { $mfa ->
         [on] MFA activada
         [required] MFA obligatoria, sin configurar
        *[other] sin MFA
    }{ $disabled ->
         [yes] , desactivado
        *[other] {""}
    }
passport-vendor_item = { $name } ({ $username }): último acceso { $last }, { $mfa ->
         [on] MFA activada
         [required] MFA obligatoria, sin configurar
        *[other] sin MFA
    }{ $disabled ->
         [yes] , desactivado
        *[other] {""}
    }; proveedor { $company }, caduca { $expires }
passport-displays = { $n } activos
passport-display_item = { $name }: último uso { $last }
passport-lan_on = activado, escuchando en { $listen }
passport-lan_off = desactivado (solo este PC, { $listen })
passport-permissions = los permisos de cada rol, tal como los aplica el servidor
passport-tls_off = no se usa: el acceso por LAN está desactivado (solo este PC)
passport-tls_on = HTTPS en la LAN, certificado { $kind ->
         [self_signed] autofirmado
        *[other] subido
    } válido hasta { $until }, SHA-256 { $fingerprint }
passport-tls_no_cert = acceso por LAN activado, aún sin certificado
passport-password = al menos { $min } caracteres, no entre { $common } contraseñas comunes
passport-lockout = tras { $name } inicios de sesión fallidos para un nombre o { $address } desde una dirección en { $minutes } minutos
passport-vendor_accounts = cuentas de proveedor
passport-session_timeouts = termina tras { $idle } sin actividad y { $max } después del inicio de sesión
passport-audit_intact = íntegro: { $records } registros, cabeza { $head }
passport-audit_broken = ROTO en el registro { $id }: { $reason }
passport-encryption_off = no configurado: las copias de seguridad son copias simples; proteja la carpeta de destino
passport-encryption_key_away = activado (age, para { $recipient }); la clave NO está en este PC: introduzca la clave de recuperación para verificar, restaurar o ensayar
passport-encryption_key_in_memory = activado (age, para { $recipient }); la clave se guarda solo en memoria hasta que Plantlog se detenga ({ $why })
passport-encryption_key_in_keyring = activado (age, para { $recipient }); la clave está en el llavero del sistema operativo
passport-keeps_working = todo: la adquisición, el almacenamiento, las páginas, las alarmas, los informes y las copias a destinos locales funcionan en este PC y no necesitan internet
passport-sync_no_raw = las muestras en bruto no se envían; { $streams }
passport-stream_item = { $stream }: { $rows } filas enviadas{ $waiting ->
         [yes] , un lote en espera
        *[other] {""}
    }
passport-sync_backlog = { $n } muestras en espera ({ $size }), confirmadas hasta { $acked }
passport-sync_backlog_behind = { $n } muestras en espera ({ $size }), confirmadas hasta { $acked }, { $behind } de retraso
passport-mail_queue = { $waiting } en espera, { $failed } fallidos
passport-mail_queue_oldest = { $waiting } en espera, el más antiguo con { $oldest } de retraso, { $failed } fallidos
passport-kept_by_hand = se conserva hasta borrarlo a mano
passport-archive_on = activado, en { $dir }
passport-purges_none = aún no se ha borrado nada
passport-purges = { $n ->
         [one] { $n } purga
        *[other] { $n } purgas
    }, la última { $last }
passport-purge_item = { $ts }: { $class ->
         [raw] muestras en bruto
         [minute] agregados por minuto
         [hour] agregados por hora
         [audit] registro de auditoría
        *[other] { $class }
    } anteriores a { $before }, { $rows } filas ({ $samples } muestras) por la tarea de retención
passport-purge_item_archived = { $ts }: { $class ->
         [raw] muestras en bruto
         [minute] agregados por minuto
         [hour] agregados por hora
         [audit] registro de auditoría
        *[other] { $class }
    } anteriores a { $before }, { $rows } filas ({ $samples } muestras) por la tarea de retención, archivadas en { $archive }
passport-target_item = { $name }: { $path } ({ $schedule }{ $enabled ->
         [no] , desactivado
        *[other] {""}
    }){ $overdue ->
         [yes] , ATRASADO
        *[other] {""}
    }
passport-last_good = { $time } en { $target }, { $name } ({ $size })
passport-drill = { $time }: { $passed ->
         [yes] superado
        *[other] FALLIDO
    } ({ $backup } en { $target }){ $overdue ->
         [yes] , atrasado
        *[other] {""}
    }
passport-sync_on = activado, a { $url } como sitio { $site } ({ $state ->
         [off] desactivado
         [connected] conectado
         [behind] poniéndose al día
         [offline] sin conexión
         [parked] un lote rechazado, esperando al administrador
        *[other] { $state }
    })
passport-sync_data = { $classes }, los más antiguos primero
passport-sync_data_lost = { $classes }, los más antiguos primero. Perdidos antes de enviarse (borrados por la retención mientras la sincronización iba atrasada): { $lost }
passport-sync_no_class = ninguno (ninguna clase de datos elegida)
passport-sync_class_raw = muestras en bruto (cada lectura de una variable)
passport-sync_class_rollups = agregados por minuto y por hora
passport-sync_class_production = registros de producción (motivos de paro, paros planificados, rechazo y ciclos ideales)
passport-sync_class_audit = el registro de auditoría
passport-sync_class_config = versiones de la configuración
passport-lost_raw = { $n } muestras en bruto de { $tags ->
         [one] { $tags } variable
        *[other] { $tags } variables
    }
passport-lost_rollups = { $n ->
         [one] { $n } hora-variable
        *[other] { $n } horas-variable
    } de resúmenes de { $tags ->
         [one] { $tags } variable
        *[other] { $tags } variables
    }
passport-lost_audit = { $n } registros de auditoría
passport-last_sent = { $time } ({ $n } muestras, { $size })
passport-mail_on = al servidor SMTP { $host }:{ $port }
passport-nothing_else = Plantlog no establece ninguna conexión de red salvo con los dispositivos configurados, el servidor SMTP configurado y el servidor central configurado.
passport-owner = la planta: todo está en su propio archivo de base de datos en este PC, en formatos abiertos si se pide
passport-formats = cada tabla como CSV; cada muestra y agregado como Parquet y CSV; la configuración como TOML; schema.md y schema.json; SHA256SUMS. Se abre en Excel, pandas o DuckDB sin Plantlog; reanudable
passport-last_export = { $time } por { $who } en { $to } ({ $what })
passport-deletion = el nombre de una persona (sustituido por un seudónimo en todas partes; sus acciones se conservan), la historia de una variable; planificado, confirmado, auditado y después se compacta la base de datos
passport-doc-title = Pasaporte de datos: { $plant }
passport-doc-read_at = Leído del Plantlog en marcha el { $time }. Cada dato de abajo es su estado en vivo en ese momento.
passport-doc-fact = Dato
passport-doc-now = Ahora
passport-doc-changed_at = Se cambia en
passport-doc-line = { $label }: { $value }
passport-doc-line_changed = { $label }: { $value } (se cambia en { $change })
passport-doc-pdf_title = Pasaporte de datos
passport-doc-pdf_plant = { $plant }: cada dato es el estado en vivo del Plantlog en marcha en este momento
