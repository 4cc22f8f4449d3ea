# Berichte: Titel, Rahmen jeder Seite, Tabellen, Diagramme.

report-shift-title = Schichtbericht
report-production-title = Produktionsbericht ({ $by ->
        [shift] nach Schicht
        [day] nach Tag
        [week] nach Woche
       *[month] nach Monat
    })
report-energy-title = Energiebericht
report-tag-title = Messwertbericht

report-page = Seite { $page } von { $pages }
report-generated = Erstellt von { $who } am { $at } ({ $zone })
report-generated-short = { $at } von { $who }
report-field-report = Bericht
report-field-plant = Werk
report-field-range = Zeitraum
report-field-from = Von
report-field-to = Bis
report-field-zone = Zeitzone
report-field-generated = Erstellt
report-field-generated-by = Erstellt von
report-field-generated-at = Erstellt am

report-col-planned = Geplant
report-col-run = Lauf
report-col-down = Stillstand
report-col-no-data = Keine Daten
report-col-stops = Stopps
report-col-parts = Teile
report-col-good = Gut
report-col-scrap = Ausschuss
report-col-availability = V
report-col-performance = L
report-col-quality = Q
report-col-oee = OEE
report-col-period = Zeitraum
report-col-line = Linie
report-col-machine = Maschine
report-col-day = Tag
report-col-shift = Schicht
report-col-reason = Grund
report-col-category = Kategorie
report-col-share = Anteil
report-col-cumulative = Kumuliert
report-col-energy = Energie
report-col-per-part = Pro Teil
report-col-peak = Spitze
report-col-peak-at = Spitze um
report-col-note = Hinweis

report-section-plant = Werk
report-section-lines = Linien
report-section-machines = Maschinen
report-section-downtime = Stillstände
report-section-parts-per-day = Teile pro Tag
report-section-shifts = Schichten
report-table-days = Tage
report-table-shift = Schicht { $n }
report-table-stops = Stopps { $n }
report-plant-row = Werk

report-no-downtime = Kein Stillstand in diesem Zeitraum.
report-no-machine = Keine Maschine mit Produktionszahlen.
report-no-stops-in-shift = Keine Stopps in dieser Schicht.
report-no-shift = Keine Schicht in diesem Zeitraum.

report-chart-pareto = Stillstand nach Grund (Pareto)
report-chart-good-per-day = Gutteile pro Produktionstag
report-chart-states = Maschinenzustände
report-chart-cumulative = kumuliert %
report-unit-parts = Teile
report-unit-min = min
report-unit-h = h
report-state-running = Läuft
report-state-idle = Leerlauf
report-state-setup = Rüsten
report-state-stopped = Gestoppt
report-state-fault = Störung
report-state-no-data = Keine Daten
report-legend-center = Mittellinie
report-legend-limits = Eingriffsgrenzen
report-legend-spec = Toleranzgrenzen
report-legend-rule = Regel verletzt

report-no-cjk-font = Auf diesem PC wurde keine Schrift mit chinesischen Zeichen gefunden, daher kann der Bericht nicht auf Chinesisch erstellt werden. Installieren Sie eine (Windows hat Microsoft YaHei; Debian: apt install fonts-wqy-microhei) oder nennen Sie eine Schriftdatei in PLANTLOG_CJK_FONT.

report-energy-how = Wie die Zahlen entstehen
report-energy-how-text = kWh eines Tages oder einer Schicht: der Anstieg des Zählers von seinem Stand am Anfang bis zu seinem Stand am Ende (jeweils der letzte gute Wert zu oder vor dem Zeitpunkt; Rücksetzungen und Überläufe wie bei den Teilezählern). Ein Fenster, an dessen Rand innerhalb des Speicherintervalls des Zählers kein guter Wert liegt, hat keine Zahl. Spitzenleistung: der größte kWh-Anstieg in einem an der Uhr ausgerichteten 15-Minuten-Intervall, mal 4, mit dem Beginn des Intervalls. kWh pro Teil: die Teile, die die Produktionsauswertung an der Maschine des Zählers im selben Fenster gezählt hat.
report-energy-meters = Zähler
report-energy-no-meter = Kein Energiezähler (ein Messwert in kWh) ist eingerichtet.
report-energy-peak = Spitzenleistung: { $kw } kW im 15-Minuten-Intervall ab { $at }.
report-energy-no-peak = Spitzenleistung: nicht genug Daten für ein 15-Minuten-Intervall.
report-energy-per-part = kWh pro Teil: Teile der Maschine { $machine }.
report-energy-no-counter = kWh pro Teil: die Maschine dieses Zählers hat keinen Teilezähler.
report-energy-chart = { $label }: kWh pro Tag
report-energy-chart-gaps = { $label }: kWh pro Tag (kein Balken: keine Zahl, siehe Tabelle)
report-energy-note-edge = nicht genug Daten: kein guter Wert in den { $seconds } s bis { $at }
report-table-n-days = { $n } Tage
report-table-n-shifts = { $n } Schichten

report-tag-chart = { $label }: Min., Mittel und Max. pro { $step ->
        [hour] Stunde
       *[day] Tag
    }
report-col-hour = Stunde
report-col-samples = Werte
report-col-min = Min.
report-col-max = Max.
report-col-mean = Mittel
report-col-raised = Ausgelöst
report-col-alarm = Alarm
report-col-priority = Priorität
report-section-alarms = Alarme
report-tag-no-alarm = Im Zeitraum wurde an den Maschinen dieser Messwerte kein Alarm ausgelöst.

report-lot-title = Loshistorie { $code }
report-lot-section = Los { $code }
report-lot-lot = Los
report-lot-product = Produkt
report-lot-started = Begonnen
report-lot-started-by = Begonnen von
report-lot-ended = Beendet
report-lot-running = läuft (die Historie bis jetzt)
report-lot-ended-by = Beendet von
report-lot-people = Personen
report-lot-parts-counted = Gezählte Teile
report-lot-good-parts = Gutteile
report-lot-scrap-counted = Von der Maschine gezählter Ausschuss
report-lot-no-figures = die Maschine hat keine Produktionszahlen
report-lot-scrap-entered = Für das Los erfasster Ausschuss
report-lot-fact = Angabe
report-lot-value = Wert
report-lot-no-material = Für dieses Los wurde kein Material ausgegeben.
report-lot-materials = Material
report-lot-materials-used = Verwendetes Material
report-lot-time = Zeit
report-lot-move = Bewegung
report-lot-material = Material
report-lot-quantity = Menge
report-lot-material-lot = Materiallos
report-lot-supplier = Lieferant
report-lot-supplier-lot = Lieferantenlos
report-lot-certificate = Zeugnis
report-lot-by = Von
report-lot-checks = Prüfungen
report-lot-checks-summary = { $checks } Prüfungen, { $out } außerhalb der Toleranz{ $waiting ->
        [0] {""}
       *[other] , { $waiting } warten noch auf eine Entscheidung
    }.
report-lot-characteristic = Merkmal
report-lot-result = Ergebnis
report-lot-spec = Toleranz
report-lot-in-spec = In Toleranz
report-lot-disposition = Entscheidung
report-lot-pass = i. O.
report-lot-fail = n. i. O.
report-lot-yes = ja
report-lot-out-of-spec = AUSSERHALB DER TOLERANZ
report-lot-corrected-by = korrigiert durch #{ $n }
report-lot-disposition-by = { $disposition } von { $by }: { $comment }
report-lot-waiting = offen
report-lot-no-scrap = Für dieses Los wurde kein Ausschuss erfasst.
report-lot-comment = Kommentar
report-lot-no-states = Die Maschine hat keine Produktionszahlen, daher keine Zustände und Stopps.
report-lot-states-chart = Maschinenzustände während des Loses
report-lot-no-stop = Kein Stopp während des Loses.
report-lot-still-stopped = steht noch
report-lot-no-reason = (kein Grund)
report-lot-micro-stops = Dazu { $count } Kurzstopps, zusammen { $seconds } s.
report-lot-states-stops = Zustände und Stopps
report-lot-no-sample = { $label }: kein guter Wert während des Loses.
report-lot-trend = { $label }: Min., Mittel und Max. während des Loses
report-lot-no-trends = Die Maschine hat keine Prozesswerte zum Anzeigen.
report-lot-trends = Verläufe von { $machine }
report-lot-spc = SPC: { $name }
report-lot-spc-text = Die Messwerte des Loses gegen Eingriffsgrenzen aus den Messwerten aller Lose der 30 Tage bis zum Losende; Cp und Cpk aus den eigenen Werten des Loses.

report-spc-title = SPC-Bericht: { $name }
report-spc-of-product = { $name } von { $product }
report-spc-at-least = mindestens { $value }
report-spc-at-most = höchstens { $value }
report-spc-no-limits = keine Grenzen
report-spc-rule = Regel
report-spc-pattern = Muster
report-spc-no-measurement = Keine Messung von { $name } in diesem Zeitraum.
report-spc-summary = { $count } Messungen von { $name } (Toleranz { $spec })
report-spc-summary-limits = { $summary }; Eingriffsgrenzen aus { $baseline } Basiswerten, gemessen { $from } – { $to }.
report-spc-summary-end = { $summary }.
report-spc-no-control-limits = Keine Eingriffsgrenzen: { $problem }.
report-spc-individuals = { $name }: Einzelwerte
report-spc-moving-range = { $name }: gleitende Spannweite
report-spc-individuals-limits = Einzelwerte: Mitte, UEG, OEG
report-spc-moving-range-limits = Gleitende Spannweite: Mitte, OEG
report-spc-sigma = Sigma innerhalb (Basis), { $unit }
report-spc-not-computed = nicht berechnet: dafür sind mindestens zwei verschiedene Werte nötig
report-spc-limits-table = { $tag } Grenzen
report-spc-figure = Kennzahl
report-spc-no-rule = Keine Western-Electric-Regel (1 bis 4) ist verletzt.
report-spc-rules-table = { $tag } Regeln
report-spc-point = Punkt
report-spc-no-xbar-limits = Keine X-quer/R-Grenzen: { $problem }.
report-spc-xbar = { $name }: X-quer, Stichproben zu { $size }
report-spc-range = { $name }: Spannweite, Stichproben zu { $size }
report-spc-xbar-rules-table = { $tag } X-quer Regeln
report-spc-subgroup = Stichprobe
report-spc-how = Berechnung: { $how }
report-spc-limits-how = Grenzen: { $how }
report-spc-measurements = Messungen
report-spc-moving-range-col = Gleitende Spannweite

## MANIFEST.txt eines Exports auf ein Laufwerk.

report-manifest-head =
    Plantlog-Export
    Werk: { $plant }
    Exportiert von: { $by }
    Exportiert am: { $at } ({ $zone })
    Zeitraum: { $from } – { $until }
report-manifest-files = Dateien (Name, Bytes, Inhalt):
report-manifest-part = { $what } (Teil { $part } von { $parts })
report-manifest-samples = Rohwerte von { $tags }
report-manifest-config = die Werkskonfiguration
report-manifest-audit = das Audit-Protokoll
