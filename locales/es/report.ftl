# Informes: títulos, marco de cada página, tablas, gráficos.

report-shift-title = Informe de turno
report-production-title = Informe de producción ({ $by ->
        [shift] por turno
        [day] por día
        [week] por semana
       *[month] por mes
    })
report-energy-title = Informe de energía
report-tag-title = Informe de variables

report-page = Página { $page } de { $pages }
report-generated = Generado por { $who } el { $at } ({ $zone })
report-generated-short = { $at } por { $who }
report-field-report = Informe
report-field-plant = Planta
report-field-range = Periodo
report-field-from = Desde
report-field-to = Hasta
report-field-zone = Zona horaria
report-field-generated = Generado
report-field-generated-by = Generado por
report-field-generated-at = Generado el

report-col-planned = Planificado
report-col-run = Marcha
report-col-down = Parada
report-col-no-data = Sin datos
report-col-stops = Paradas
report-col-parts = Piezas
report-col-good = Buenas
report-col-scrap = Rechazo
report-col-availability = D
report-col-performance = R
report-col-quality = C
report-col-oee = OEE
report-col-period = Periodo
report-col-line = Línea
report-col-machine = Máquina
report-col-day = Día
report-col-shift = Turno
report-col-reason = Motivo
report-col-category = Categoría
report-col-share = Parte
report-col-cumulative = Acumulado
report-col-energy = Energía
report-col-per-part = Por pieza
report-col-peak = Pico
report-col-peak-at = Pico a las
report-col-note = Nota

report-section-plant = Planta
report-section-lines = Líneas
report-section-machines = Máquinas
report-section-downtime = Paradas
report-section-parts-per-day = Piezas por día
report-section-shifts = Turnos
report-table-days = Días
report-table-shift = Turno { $n }
report-table-stops = Paradas { $n }
report-plant-row = Planta

report-no-downtime = Ninguna parada en este periodo.
report-no-machine = Ninguna máquina con cifras de producción.
report-no-stops-in-shift = Ninguna parada en este turno.
report-no-shift = Ningún turno en este periodo.

report-chart-pareto = Paradas por motivo (Pareto)
report-chart-good-per-day = Piezas buenas por día de producción
report-chart-states = Estados de las máquinas
report-chart-cumulative = % acumulado
report-unit-parts = piezas
report-unit-min = min
report-unit-h = h
report-state-running = En marcha
report-state-idle = En espera
report-state-setup = Preparación
report-state-stopped = Parada
report-state-fault = Avería
report-state-no-data = Sin datos
report-legend-center = Línea central
report-legend-limits = Límites de control
report-legend-spec = Límites de especificación
report-legend-rule = Regla incumplida

report-no-cjk-font = No se encontró en este PC ninguna fuente con caracteres chinos, así que el informe no puede escribirse en chino. Instale una (Windows trae Microsoft YaHei; Debian: apt install fonts-wqy-microhei) o indique un archivo de fuente en PLANTLOG_CJK_FONT.

report-energy-how = Cómo se obtienen las cifras
report-energy-how-text = kWh de un día o turno: el aumento del contador desde su lectura al inicio hasta su lectura al final (la última muestra buena en o antes de cada momento; reinicios y desbordamientos como en los contadores de piezas). Una ventana cuyo borde no tiene una lectura buena dentro del intervalo de almacenamiento del contador no tiene cifra. Demanda máxima: el mayor aumento de kWh en un intervalo de 15 minutos alineado con el reloj, por 4, con el inicio del intervalo. kWh por pieza: las piezas que el motor de producción contó en la máquina del contador en la misma ventana.
report-energy-meters = Contadores
report-energy-no-meter = No hay ningún contador de energía (una variable en kWh) configurado.
report-energy-peak = Demanda máxima: { $kw } kW en el intervalo de 15 minutos desde { $at }.
report-energy-no-peak = Demanda máxima: no hay datos suficientes para ningún intervalo de 15 minutos.
report-energy-per-part = kWh por pieza: piezas de la máquina { $machine }.
report-energy-no-counter = kWh por pieza: la máquina de este contador no tiene contador de piezas.
report-energy-chart = { $label }: kWh por día
report-energy-chart-gaps = { $label }: kWh por día (sin barra: sin cifra, vea la tabla)
report-energy-note-edge = datos insuficientes: ninguna lectura buena en los { $seconds } s hasta { $at }
report-table-n-days = { $n } días
report-table-n-shifts = { $n } turnos

report-tag-chart = { $label }: mín., media y máx. por { $step ->
        [hour] hora
       *[day] día
    }
report-col-hour = Hora
report-col-samples = Muestras
report-col-min = Mín.
report-col-max = Máx.
report-col-mean = Media
report-col-raised = Activada
report-col-alarm = Alarma
report-col-priority = Prioridad
report-section-alarms = Alarmas
report-tag-no-alarm = No se activó ninguna alarma en el periodo en las máquinas de estas variables.

report-lot-title = Historia del lote { $code }
report-lot-section = Lote { $code }
report-lot-lot = Lote
report-lot-product = Producto
report-lot-started = Iniciado
report-lot-started-by = Iniciado por
report-lot-ended = Terminado
report-lot-running = en curso (la historia hasta ahora)
report-lot-ended-by = Terminado por
report-lot-people = Personas
report-lot-parts-counted = Piezas contadas
report-lot-good-parts = Piezas buenas
report-lot-scrap-counted = Rechazo contado por la máquina
report-lot-no-figures = la máquina no tiene cifras de producción
report-lot-scrap-entered = Rechazo registrado para el lote
report-lot-fact = Dato
report-lot-value = Valor
report-lot-no-material = No se entregó material a este lote.
report-lot-materials = Materiales
report-lot-materials-used = Materiales usados
report-lot-time = Hora
report-lot-move = Movimiento
report-lot-material = Material
report-lot-quantity = Cantidad
report-lot-material-lot = Lote de material
report-lot-supplier = Proveedor
report-lot-supplier-lot = Lote del proveedor
report-lot-certificate = Certificado
report-lot-by = Por
report-lot-checks = Controles
report-lot-checks-summary = { $checks } controles, { $out } fuera de especificación{ $waiting ->
        [0] {""}
       *[other] , { $waiting } aún esperan una decisión
    }.
report-lot-characteristic = Característica
report-lot-result = Resultado
report-lot-spec = Especificación
report-lot-in-spec = Conforme
report-lot-disposition = Decisión
report-lot-pass = conforme
report-lot-fail = no conforme
report-lot-yes = sí
report-lot-out-of-spec = FUERA DE ESPECIFICACIÓN
report-lot-corrected-by = corregido por #{ $n }
report-lot-disposition-by = { $disposition } por { $by }: { $comment }
report-lot-waiting = pendiente
report-lot-no-scrap = No se registró rechazo para este lote.
report-lot-comment = Comentario
report-lot-no-states = La máquina no tiene cifras de producción, así que no hay estados ni paradas.
report-lot-states-chart = Estados de la máquina durante el lote
report-lot-no-stop = Ninguna parada durante el lote.
report-lot-still-stopped = sigue parada
report-lot-no-reason = (sin motivo)
report-lot-micro-stops = Y { $count } microparadas, { $seconds } s en total.
report-lot-states-stops = Estados y paradas
report-lot-no-sample = { $label }: ninguna muestra buena durante el lote.
report-lot-trend = { $label }: mín., media y máx. durante el lote
report-lot-no-trends = La máquina no tiene variables de proceso que mostrar.
report-lot-trends = Tendencias de { $machine }
report-lot-spc = SPC: { $name }
report-lot-spc-text = Las mediciones del lote frente a límites de control calculados con las mediciones de todos los lotes de los 30 días hasta el final del lote; Cp y Cpk con los valores propios del lote.

report-spc-title = Informe SPC: { $name }
report-spc-of-product = { $name } de { $product }
report-spc-at-least = como mínimo { $value }
report-spc-at-most = como máximo { $value }
report-spc-no-limits = sin límites
report-spc-rule = Regla
report-spc-pattern = Patrón
report-spc-no-measurement = Ninguna medición de { $name } en este periodo.
report-spc-summary = { $count } mediciones de { $name } (especificación { $spec })
report-spc-summary-limits = { $summary }; límites de control a partir de { $baseline } valores de referencia medidos { $from } – { $to }.
report-spc-summary-end = { $summary }.
report-spc-no-control-limits = Sin límites de control: { $problem }.
report-spc-individuals = { $name }: valores individuales
report-spc-moving-range = { $name }: rango móvil
report-spc-individuals-limits = Individuales: centro, LIC, LSC
report-spc-moving-range-limits = Rango móvil: centro, LSC
report-spc-sigma = Sigma dentro (referencia), { $unit }
report-spc-not-computed = no calculado: necesita al menos dos valores distintos
report-spc-limits-table = { $tag } límites
report-spc-figure = Indicador
report-spc-no-rule = No se incumple ninguna regla Western Electric (1 a 4).
report-spc-rules-table = { $tag } reglas
report-spc-point = Punto
report-spc-no-xbar-limits = Sin límites X-barra/R: { $problem }.
report-spc-xbar = { $name }: X-barra, subgrupos de { $size }
report-spc-range = { $name }: rango, subgrupos de { $size }
report-spc-xbar-rules-table = { $tag } reglas X-barra
report-spc-subgroup = Subgrupo
report-spc-how = Cálculo: { $how }
report-spc-limits-how = Límites: { $how }
report-spc-measurements = Mediciones
report-spc-moving-range-col = Rango móvil

## MANIFEST.txt de una exportación a una unidad.

report-manifest-head =
    Exportación de Plantlog
    Planta: { $plant }
    Exportado por: { $by }
    Exportado el: { $at } ({ $zone })
    Periodo: { $from } – { $until }
report-manifest-files = Archivos (nombre, bytes, contenido):
report-manifest-part = { $what } (parte { $part } de { $parts })
report-manifest-samples = valores brutos de { $tags }
report-manifest-config = la configuración de la planta
report-manifest-audit = el registro de auditoría
