# The errors of the core as the command line says them, by code and params, made
# from the UI's catalogues ui/src/i18n/errors/es.json (shared codes; "config": a
# configuration's mistakes, "place": where they are) and the "errors" of every other
# area of ui/src/i18n by ui/src/lib/errorsftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/errorswords

errors-bad_credentials = Usuario o contraseña incorrectos
errors-mfa_required = Introduzca el código de su aplicación de autenticación (o un código de recuperación).
errors-bad_code = El código es incorrecto o ya se usó. Escriba el código actual de la aplicación.
errors-too_many_attempts = Demasiados inicios de sesión fallidos. Espere 15 minutos, entre con su código de autenticación o pregunte al administrador.
errors-busy = Plantlog está comprobando otros inicios de sesión. Vuelva a intentarlo en unos segundos.
errors-setup_code_required = Introduzca el código de instalación que Plantlog mostró al arrancar.
errors-setup_local_only = La cuenta de administrador se crea en el PC donde funciona Plantlog, no por la red.
errors-mfa_enrolment_required = Primero configure su aplicación de autenticación.
errors-same_password = Elija una contraseña distinta de la que le dieron.
errors-line_busy = Ya hay una lectura de prueba o un escaneo en esta línea. Espere a que termine.
errors-too_large = Es más de lo que esta página puede enviar de una vez.
errors-cross_origin = La solicitud no vino de la propia página de Plantlog. Recargue la página.
errors-unknown_host = Plantlog no responde en esta dirección. Ábralo por su dirección IP o el nombre del PC.
errors-unauthorized = Inicie sesión.
errors-session_expired = Su sesión ha terminado. Vuelva a iniciar sesión.
errors-forbidden = Su rol no permite esto.
errors-password_change_required = Primero debe elegir una contraseña nueva.
errors-weak_password = { $reason ->
         [too_short] La contraseña es demasiado corta: use al menos { $chars } caracteres (unas cuantas palabras forman una buena).
         [too_long] La contraseña es demasiado larga: use como máximo { $chars } caracteres.
         [username] La contraseña no debe contener el nombre de usuario.
         [repeated] La contraseña no debe ser un mismo carácter repetido.
         [run] La contraseña no debe ser una serie de caracteres como abcdefghijkl.
         [common] Esta contraseña está en una lista de contraseñas comunes o filtradas; elija otra.
         [common_core] Esta contraseña es la contraseña común «{ $word }» con unos pocos caracteres añadidos; elija otra.
         [place] La contraseña no debe ser «{ $word }»: es lo primero que se probaría aquí.
        *[other] La contraseña es demasiado débil: use al menos 12 caracteres y no una contraseña común.
    }
errors-invalid_display_name = Introduzca el nombre de la persona.
errors-invalid_username = Ese nombre de usuario no está permitido: use letras, dígitos, puntos, guiones o guiones bajos.
errors-username_taken = Ese nombre de usuario ya existe. Elija otro.
errors-last_admin = No quedaría ninguna cuenta de administrador activa. Primero haga administrador a otro usuario.
errors-setup_done = La cuenta de administrador ya existe. Inicie sesión.
errors-not_found = { $what ->
         [machine] No existe esa máquina.
         [device] No existe ese equipo.
         [tag] No existe esa variable.
         [user] No existe ese usuario.
         [session] Esa sesión ya terminó.
        *[other] No encontrado.
    }
errors-internal = Plantlog no pudo hacerlo por un error interno. El registro del PC de Plantlog tiene los detalles con la referencia { $reference }.
errors-invalid_config = { $count ->
         [one] La configuración tiene { $count } error; corríjalo y guarde de nuevo.
        *[other] La configuración tiene { $count } errores; corríjalos y guarde de nuevo.
    }
errors-unknown_language = Plantlog no tiene el idioma «{ $language }».
errors-unknown_theme = Plantlog no tiene el tema «{ $theme }».
errors-stopped = La solicitud se canceló o Plantlog se está cerrando. Vuelva a intentarlo en un momento.
errors-network = No se puede conectar con Plantlog. Compruebe la conexión y vuelva a intentarlo.
errors-bad_response = Plantlog envió una respuesta que esta página no entiende.
errors-failed = La solicitud falló ({ $status }).
errors-cli_internal = Plantlog no pudo hacerlo: { $detail }
errors-db_open = no se puede abrir la base de datos { $path }: { $detail }; compruebe que la carpeta existe y se puede escribir
errors-db_migrate = la base de datos { $path } no se pudo actualizar a esta versión de Plantlog: { $detail }
errors-db_too_new = la base de datos { $path } la escribió un Plantlog más nuevo (esquema { $found }; este Plantlog { $version } conoce hasta el { $known }). No se abre, así que no se cambia nada en ella: vuelva a instalar ese Plantlog más nuevo o restaure una copia de seguridad hecha con esta versión
errors-folder_in_use = otro proceso de Plantlog ya está recogiendo datos en { $dir }: { $holder }. Deténgalo primero o dé a este otro --data-dir
errors-lock_file = no se puede crear el archivo de bloqueo { $path }: { $detail }
errors-bad_range = El inicio debe ser anterior al final y no estar en el futuro.
errors-tags_needed = Elija al menos una etiqueta.
errors-unknown_tag = No hay ninguna etiqueta «{ $tag }»; indique ids de etiqueta o nombres dispositivo/etiqueta.
errors-range_too_long = Las cifras por hora cubren como máximo 62 días; elija por día para un periodo más largo.
errors-export_cancelled = La exportación se canceló antes de escribir nada en la unidad.
errors-service_not_installed = el servicio de Plantlog no está instalado; instálelo con: plantlog service install
errors-service_not_admin = esto necesita un administrador: { $os ->
         [windows] abra la consola con «Ejecutar como administrador» y vuelva a intentarlo
        *[other] ejecútelo con sudo
    }
errors-takeout_not_empty = { $folder } contiene otros archivos; elija una carpeta vacía o nueva (o la carpeta de una exportación sin terminar para continuarla)
errors-takeout_mismatch = { $file } no coincide con la suma de comprobación con la que se escribió: la unidad puede estar fallando; vuelva a ejecutar la exportación para reescribirlo
errors-takeout_cancelled = la exportación se canceló; lo terminado se conserva: vuelva a ejecutarla en la misma carpeta para continuar
errors-config-empty_site_name = el nombre del sitio está vacío; indique el nombre de la planta
errors-config-unknown_zone = «{ $zone }» no es una zona horaria conocida; use un nombre IANA como "Europe/Berlin" o "America/Chicago"
errors-config-shift_no_name = el turno no tiene nombre; dele uno, p. ej. "Mañana"
errors-config-shift_same_name = otro turno tiene el mismo nombre; los nombres de turno deben ser distintos
errors-config-not_time = «{ $value }» no es una hora; escríbala como "HH:MM", p. ej. "{ $example }"
errors-config-shift_no_length = el turno empieza cuando termina; un turno necesita una duración
errors-config-day_twice = { $day } aparece dos veces; indique cada día una vez
errors-config-date_twice = { $date } aparece dos veces
errors-config-not_date = «{ $value }» no es una fecha; escríbala como "AAAA-MM-DD", p. ej. "2026-12-25"
errors-config-same_key = { $what ->
         [machine] otra máquina tiene la misma clave
         [serial_line] otra línea serie tiene la misma clave
         [device] otro dispositivo tiene la misma clave
        *[other] otro elemento tiene la misma clave
    }; las claves deben ser distintas
errors-config-empty_machine_name = el nombre de la máquina está vacío; indique el nombre que usa la gente
errors-config-micro_stop_range = el umbral de microparada debe ser de 1 a 86400 segundos (por defecto 120)
errors-config-running_counted_range = el tiempo debe ser de 1 a 86400 segundos: cuánto tiempo después de una pieza contada la máquina sigue contando como en marcha
errors-config-max_rate_range = la tasa máxima debe ser un número de piezas por minuto mayor que 0: un paso del contador más rápido se retiene para revisión
errors-config-empty_line = el nombre de la línea está vacío; nombre la línea u omita line
errors-config-state_twice = el valor { $value } está asignado dos veces; cada valor de estado corresponde a un estado
errors-config-empty_port = el puerto está vacío; indique el puerto serie, p. ej. "COM3" en Windows o "/dev/ttyUSB0" en Linux
errors-config-port_used = el puerto { $port } ya lo usa la línea serie «{ $other }»; un puerto es una línea, ponga los dispositivos en esa línea
errors-config-bad_baud = { $baud } baudios no es una velocidad serie; use la del dispositivo, p. ej. 9600 o 19200
errors-config-bad_data_bits = los bits de datos deben ser 7 u 8 (Modbus RTU usa 8)
errors-config-bad_stop_bits = los bits de parada deben ser 1 o 2
errors-config-bad_frame_gap = la pausa entre tramas debe ser de 0 a 1000 ms; omítala para usar 3,5 caracteres
errors-config-port_zero = el puerto 0 no es un puerto; los dispositivos Modbus TCP suelen escuchar en el 502
errors-config-max_registers_range = la mayor petición debe ser de 1 a 125 registros
errors-config-max_bits_range = la mayor petición debe ser de 1 a 2000 bobinas o entradas
errors-config-tag_no_name = la etiqueta no tiene nombre; dele uno, p. ej. "temperatura"
errors-config-tag_same_name = otra etiqueta de este dispositivo tiene el mismo nombre; los nombres de etiqueta deben ser distintos dentro de un dispositivo
errors-config-bad_scale = la escala debe ser un número distinto de 0; use 1 para ninguna
errors-config-bad_offset = el desplazamiento debe ser un número finito; use 0 para ninguno
errors-config-role_needs_machine = una etiqueta con un rol necesita una máquina; ponga machine en la etiqueta o en su dispositivo
errors-config-counter_not_integer = un contador de piezas debe ser de tipo entero (u16, u32, u64, i16, i32, i64)
errors-config-state_not_number = un estado de máquina debe ser un número que asignan los estados de la máquina
errors-config-state_and_run = la máquina tiene una etiqueta de estado y un bit de marcha; su estado viene de uno de ellos, quite el rol del otro
errors-config-deadband_needed = record = "deadband" necesita deadband (un cambio en la unidad de la etiqueta) o deadband_percent, mayor que 0
errors-config-door_needs_deadband = record = "swinging_door" necesita deadband: el ancho de la puerta en la unidad de la etiqueta, mayor que 0
errors-config-text_no_deadband = una etiqueta de texto se guarda en cada lectura o al cambiar; una banda muerta necesita números
errors-config-heartbeat_every_poll = cada lectura ya se guarda; un latido se aplica con on_change, deadband o swinging_door
errors-config-bad_terminator = una línea termina con "\n", "\r\n" o "\r"
errors-config-max_line_range = la línea más larga debe ser de 8 a 65536 bytes
errors-config-pattern_needed = un dispositivo de línea serie necesita un patrón con grupos con nombre, p. ej. '^ST,GS,(?P<weight>[+-]?[0-9.]+)kg$'
errors-config-pattern_no_group = el patrón no tiene ningún grupo con nombre; nombre la parte que contiene un valor, p. ej. (?P<weight>...)
errors-config-field_needed = una etiqueta de línea serie necesita field = "...": el grupo con nombre del patrón del dispositivo que contiene su valor
errors-config-field_not_modbus = field es para etiquetas de línea serie; una etiqueta Modbus indica function y address, o register
errors-config-register_and_address = indique register (como en el manual, p. ej. 40001) o address (desde 0 en el cable), no ambos
errors-config-function_needed = con address, diga qué tabla: function = "holding", "input", "coil" o "discrete" (o indique register como en el manual)
errors-config-no_register = la etiqueta no tiene registro; indique register como en el manual (p. ej. 40001) o function y address
errors-config-bool_not_register = bool es para bobinas y entradas discretas; para un bit de un registro use type = "bit" con bit = 0..15
errors-config-bit_needed = type bit necesita bit = 0..15, el bit del registro (0 el menos significativo)
errors-config-bit_not_bit = bit es para type = "bit"; quítelo o cambie el tipo
errors-config-length_needed = type string necesita length: el número de registros (dos caracteres cada uno)
errors-config-length_zero = un texto necesita al menos un registro
errors-config-text_no_scale = una etiqueta de texto es texto: no admite escala, desplazamiento ni rol
errors-config-length_not_string = length es para type = "string"; quítelo o cambie el tipo
errors-config-alarm_same_key = otra alarma tiene la misma clave; las claves de alarma deben ser distintas
errors-config-escalate_roles = indique los roles a los que escalar, en orden
errors-config-after_min_range = after_min debe ser de 1 a 10080 minutos (una semana)
errors-config-alarm_no_name = la alarma no tiene nombre; dele uno que la gente reconozca, p. ej. "Temperatura de aceite alta"
errors-config-escalate_after_range = debe ser de 1 a 10080 minutos (una semana)
errors-config-escalate_to_needed = escalate_after_min necesita escalate_to: los roles a avisar, en orden
errors-config-escalate_after_needed = escalate_to necesita escalate_after_min: los minutos entre pasos
errors-config-action_needed = diga qué hacer cuando llegue la alarma, p. ej. "Revise el ventilador del enfriador de aceite; pare la prensa por encima de 90 °C"
errors-config-time_at_least_one = el tiempo debe ser al menos 1
errors-config-value_twice = el valor aparece dos veces
errors-config-value_no_text = el valor no tiene texto; diga qué significa, p. ej. "Parada de emergencia"
errors-config-bit_twice = el bit aparece dos veces
errors-config-bit_no_text = el bit no tiene texto; diga qué significa, p. ej. "Sobrecarga del motor"
errors-config-needs_host = un dispositivo { $protocol } necesita host: su dirección IP o nombre
errors-config-network_no_bus = un dispositivo { $protocol } se alcanza por la red, no por una línea serie; quite bus o use protocol = "modbus-rtu"
errors-config-needs_bus = un dispositivo { $protocol } necesita la línea serie en la que está: bus = "...", una clave de [[buses]]
errors-config-no_bus = no hay ninguna línea serie «{ $b }»; añádala en [[buses]] o corrija la clave
errors-config-bus_used = la línea serie «{ $b }» ya la usa el dispositivo «{ $other }»; un dispositivo de línea serie necesita una línea propia
errors-config-serial_no_net = un dispositivo { $protocol } está en una línea serie; quite { $f }
errors-config-rtu_unit_range = el id de unidad { $unit } no se puede direccionar en una línea serie; use de 1 a 247
errors-config-unit_shared = el dispositivo «{ $other }» ya lee { $endpoint } unidad { $unit }; dos dispositivos no pueden compartir un id de unidad en una línea o dirección
errors-config-serial_only = { $f } es para dispositivos de línea serie; un dispositivo Modbus no lo tiene
errors-config-role_every_change = una etiqueta { $role } debe guardar cada cambio (record = "on_change" o "every_poll"): las cifras de producción se calculan con cada cambio
errors-config-role_twice = la máquina «{ $machine }» ya tiene su etiqueta { $role } en { $at }; una máquina tiene una
errors-config-bad_break = «{ $start }»–«{ $end }» no es un intervalo; escriba inicio y fin como "HH:MM"
errors-config-break_outside = la pausa { $start }–{ $end } no está dentro del turno { $shift_start }–{ $shift_end }; una pausa empieza y termina dentro de su turno
errors-config-break_overlap = la pausa se solapa con la pausa #{ $other }; las pausas no deben solaparse
errors-config-shift_overlap = el turno se solapa con el turno «{ $other }» ({ $start }–{ $end }); los turnos de un día no deben solaparse
errors-config-deadband_unused = { $f } se aplica con record = "deadband" o "swinging_door"; quítelo o cambie record
errors-config-heartbeat_range = el latido debe ir del intervalo de lectura ({ $poll_s } s) a 86400 s
errors-config-no_machine = no hay ninguna máquina «{ $m }»; añádala en [[machines]] o corrija la clave
errors-config-bad_pattern = el patrón no es una expresión regular válida: { $e }
errors-config-no_group = el patrón no tiene ningún grupo llamado «{ $f }»; sus grupos son: { $groups }
errors-config-modbus_only = { $f } es para etiquetas Modbus; una etiqueta de línea serie toma su valor de field
errors-config-register_function = el registro { $r } es un { $kind }, pero function dice { $function }; omita function o corríjalo
errors-config-bad_register = { $r } no es un número de registro; los manuales escriben 00001-09999 (bobinas), 10001-19999 (entradas discretas), 30001-39999 (registros de entrada), 40001-49999 (registros de retención) o 6 dígitos como 400001
errors-config-bits_are_bool = un { $kind } contiene un bit; su tipo es bool
errors-config-bit_range = el bit { $b } no existe; un registro tiene los bits 0 a 15
errors-config-too_wide = el valor ocupa { $width } registros, más que la mayor petición del dispositivo ({ $limit })
errors-config-bad_key = «{ $key }» no es una clave válida; use de 1 a 64 minúsculas, dígitos, '-' o '_', p. ej. "prensa-1"
errors-config-counted_not_needed = el estado de la máquina ya viene de su etiqueta de estado o bit de marcha; quite running_when_counted_s
errors-config-counted_needs_counter = running_when_counted_s necesita el contador de piezas de la máquina: dé a una de sus etiquetas role = "count"
errors-config-shift_past_day = el turno termina después de que empiece el siguiente día de producción ({ $day_start }, el inicio de turno más temprano); acórtelo
errors-config-ms_range = { $what ->
         [timeout] el tiempo de espera
         [poll] el intervalo de lectura
        *[other] el tiempo
    } { $v } ms está fuera de { $lo } a { $hi } ms
errors-config-past_last_address = un { $dtype } en { $address } pasa de la última dirección 65535; revise la dirección
errors-config-no_role = no hay ningún rol «{ $r }»; los roles son: { $roles }
errors-config-escalation_twice = otra escalada es para las alarmas { $priority }; dé una a cada prioridad
errors-config-no_roles = ningún rol recibe esta alarma; indique al menos uno de: { $roles }
errors-config-bad_delay = { $v } no es un retardo de 0 a 86400 segundos
errors-config-no_tag = no hay ninguna etiqueta «{ $t }»; escríbala como "dispositivo/etiqueta" con una clave de dispositivo y un nombre de etiqueta configurados
errors-config-text_tag_alarm = «{ $t }» es una etiqueta de texto; las alarmas vigilan números
errors-config-no_device = no hay ningún dispositivo «{ $d }»
errors-config-no_machine_alarm = no hay ninguna máquina «{ $m }»
errors-config-machine_no_state = la máquina «{ $m }» no tiene estado: dé a una de sus etiquetas role = "state" o "run"
errors-config-machine_no_counter = la máquina «{ $m }» no tiene contador de piezas: dé a una de sus etiquetas role = "count"
errors-config-bad_deadband = { $d } no es una banda muerta de 0 o más
errors-config-bad_interval = { $m } no es un intervalo de demanda de 1 a 60 minutos (lo habitual es 15)
errors-config-bit_past_last = el bit { $bit } está después del último bit ({ $max_bit })
errors-config-digest_not_time = «{ $value }» no es una hora; escríbala como HH:MM, p. ej. "07:00"
errors-config-shelve_max_zero = el tiempo máximo de aplazamiento debe ser al menos 1 minuto
errors-config-alarm_unused_field = { $article ->
        *[other] una alarma «{ $kind }» no usa { $f }; quítelo (usa { $uses })
    }
errors-config-alarm_needs_field = { $article ->
        *[other] una alarma «{ $kind }» necesita { $f }; añádalo
    }
errors-config-bad_limit = { $what ->
         [rate] { $l } no es una tasa mayor que 0 (unidades por minuto)
         [demand] { $l } no es una demanda mayor que 0 (kW)
        *[other] { $l } no es un número
    }
errors-config-not_toml = esto no es TOML válido: { $detail }
errors-config-no_site = falta la sección [site]; añádala con name = "..." y timezone = "Área/Ciudad"
errors-config-not_list = se esperaba una lista de tablas [[{ $key }]], se encontró { $found }
errors-config-not_table = se esperaba una tabla, se encontró { $found }
errors-config-no_template = no hay ninguna plantilla «{ $key }»; las plantillas conocidas son: { $known }
errors-config-required = «{ $field }» es obligatorio; añádalo
errors-config-unknown_value = valor desconocido «{ $value }»; use uno de { $allowed }
errors-config-not_in_range = { $value } no es { $ty ->
         [u8] un número entero de 0 a 255
         [u16] un número entero de 0 a 65535
         [u32] un número entero de 0 a 4294967295
         [u64] un número entero de 0 o más
        *[other] un número
    }
errors-config-unknown_key = clave desconocida «{ $key }»{ $hint ->
         [near] ; ¿quiso decir "{ $near }"?
        *[other] ; las claves conocidas son: { $known }
    }
errors-config-rejected = la configuración no se importó; { $count ->
         [one] { $count } error
        *[other] { $count } errores
    } por corregir:
errors-config-file_rejected = el archivo no se importó; { $count ->
         [one] { $count } error
        *[other] { $count } errores
    } por corregir:
errors-config-line = { $place }: { $message }
errors-config-master_rejected = los productos, planes y materiales no se importaron; { $count ->
         [one] { $count } error
        *[other] { $count } errores
    } por corregir:
errors-config-product_same_code = otro producto tiene este código; los códigos deben ser distintos (mayúsculas y minúsculas cuentan igual)
errors-config-product_no_name = el nombre está vacío; dé un nombre al producto
errors-config-product_two_plans = este producto tiene otro plan; ponga todas sus características en uno
errors-config-plan_empty = el plan no comprueba nada; añada [[plans.characteristics]]
errors-config-characteristic_same_name = el plan tiene otra característica con este nombre; los nombres deben ser distintos
errors-config-material_same_code = otro material tiene este código; los códigos deben ser distintos
errors-config-material_no_name = el nombre está vacío; dé un nombre al material
errors-config-material_no_unit = la unidad está vacía; diga en qué se cuentan las cantidades (kg, m, piezas)
errors-config-characteristic_no_name = el nombre está vacío; nombre lo que se comprueba
errors-config-measured_no_limit = una característica medida necesita un límite inferior o superior (o ambos)
errors-config-measured_no_unit = una característica medida necesita su unidad (mm, bar, g)
errors-place-alarm_settings = ajustes de alarma
errors-place-serial_line = línea serie
errors-place-site = sitio
errors-place-shift = turno
errors-place-machine = máquina
errors-place-device = dispositivo
errors-place-tag = etiqueta
errors-place-state = estado
errors-place-holiday = festivo
errors-place-alarm = alarma
errors-place-bit = bit
errors-place-item = elemento
errors-place-field = campo
errors-place-line = línea
errors-place-column = columna
errors-place-file = archivo
errors-place-row = fila
errors-place-product = producto
errors-place-material = material
errors-place-break = pausa
errors-place-escalation = escalada
errors-place-value = valor
errors-place-plan = plan
errors-place-characteristic = característica
errors-place-named = { $kind } «{ $name }»
errors-place-index = { $kind } n.º { $n }
errors-place-number = { $kind } { $n }
errors-place-sep = ,{" "}

## account

errors-mfa_required_for_role = Su rol exige un segundo factor; no se puede desactivar.

## configuration

errors-config_conflict = La configuración cambió desde que la cargó. Vuelva a cargarla y haga su cambio sobre la nueva versión.

## quality

errors-bad_product = No existe el producto «{ $product }»; calidad da de alta los productos con sus planes.
errors-lot_exists = { $what ->
         [material_lot] El lote de material «{ $lot }» ya se recibió; cada etiqueta se recibe una sola vez.
        *[other] El lote «{ $lot }» ya existe; dé a cada lote su propio número.
    }
errors-lot_running = El lote «{ $lot }» está en curso en { $machine }; termínelo antes de iniciar otro.
errors-lot_ended = { $action ->
         [check] El lote «{ $lot }» ha terminado; los controles se registran en lotes en curso (se permite corregir un control anterior).
        *[other] El lote «{ $lot }» ya ha terminado.
    }
errors-bad_characteristic = Este control no está en el plan actual del producto del lote; recargue la página y regístrelo en el plan actual.
errors-bad_correction = Ese control no se puede corregir: corrija el control más reciente del mismo lote y característica.
errors-bad_disposition = Elija retrabajo, chatarra o aceptar con desviación.
errors-in_spec = Este control está dentro de especificación; solo los resultados fuera de especificación llevan disposición.
errors-no_gauge = Este control no se lee de ningún instrumento que Plantlog conozca; escriba el valor.
errors-gauge_timeout = No llegó ninguna lectura del instrumento «{ $gauge }» en { $seconds } s; pulse su botón de envío e inténtelo de nuevo, o escriba el valor.
errors-bad_field = { $rule ->
         [length] Indique { $field ->
         [code] el número de lote
         [reason] el motivo
         [supplier] el proveedor
         [supplier_lot] el número de lote del proveedor
        *[other] { $field }
    }: de 1 a { $max } caracteres (ahora { $given }).
         [too_long] { $field ->
         [comment] Un comentario
         [certificate] Una referencia de certificado
        *[other] Este campo
    } admite como máximo { $max } caracteres (ahora { $given }).
         [range] El rechazo es de { $min } a { $max } piezas; { $given } no lo es.
         [positive] Indique una cantidad mayor que 0.
         [deviation_comment] Aceptar con desviación necesita un comentario: por qué se pueden usar las piezas.
         [issue_machine] Indique a qué máquina se entrega el material.
        *[other] { $detail }
    }
errors-bad_time = { $rule ->
         [start_future] Un lote se inicia ahora o en el pasado, no en el futuro.
         [end] Un lote termina después de su inicio y no en el futuro.
         [received_future] El material se recibe ahora o en el pasado, no en el futuro.
        *[other] { $detail }
    }
errors-bad_value = { $rule ->
         [measured] «{ $name }» se mide: indique el valor en { $unit }.
         [measured_no_unit] «{ $name }» se mide: indique el valor en su unidad.
         [not_number] El valor de «{ $name }» no es un número.
         [measured_not_pass] «{ $name }» se mide: indique un valor, no «pasa» o «no pasa».
         [pass_fail] «{ $name }» es pasa/no pasa: elija pasa o no pasa.
        *[other] { $detail }
    }
errors-bad_kind = { $rule ->
         [move] «{ $given }» no es un movimiento de stock: elija entrega, devolución o rechazo (la recepción tiene su propio formulario).
        *[other] { $detail }
    }
errors-bad_paper = El papel «{ $given }» no se conoce: elija A4 o Carta.

## stores

errors-bad_material = No existe el material «{ $material }»; añádalo primero a los materiales.
errors-negative_stock = El lote de material { $lot } tiene { $on_hand } { $unit } en existencia; { $move ->
         [issue] entregar
        *[other] desechar
    } { $quantity } { $unit } dejaría { $left } — revise la cantidad o la etiqueta (el administrador puede permitir existencias negativas en esta página).

## sync

errors-bad_bandwidth = No se puede fijar un límite de { $bytes } bytes/s: indique 0 (sin límite) o al menos 1 kB/s.
