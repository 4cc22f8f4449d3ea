# The errors of the core as the command line says them, by code and params, made
# from the UI's catalogues ui/src/i18n/errors/de.json (shared codes; "config": a
# configuration's mistakes, "place": where they are) and the "errors" of every other
# area of ui/src/i18n by ui/src/lib/errorsftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/errorswords

errors-bad_credentials = Benutzername oder Passwort falsch
errors-mfa_required = Geben Sie den Code aus Ihrer Authenticator-App ein (oder einen Wiederherstellungscode).
errors-bad_code = Der Code ist falsch oder wurde schon benutzt. Geben Sie den aktuellen Code aus der App ein.
errors-too_many_attempts = Zu viele fehlgeschlagene Anmeldungen. Warten Sie 15 Minuten, melden Sie sich mit Ihrem Authenticator-Code an oder fragen Sie den Administrator.
errors-busy = Plantlog prüft gerade andere Anmeldungen. Versuchen Sie es in einigen Sekunden erneut.
errors-setup_code_required = Geben Sie den Einrichtungscode ein, den Plantlog beim Start ausgegeben hat.
errors-setup_local_only = Das Administratorkonto wird an dem PC angelegt, auf dem Plantlog läuft, nicht über das Netzwerk.
errors-mfa_enrolment_required = Richten Sie zuerst Ihre Authenticator-App ein.
errors-same_password = Wählen Sie ein anderes Passwort als das, das Sie erhalten haben.
errors-line_busy = Auf dieser Leitung läuft schon ein Testlesen oder eine Suche. Warten Sie, bis es fertig ist.
errors-too_large = Das ist mehr, als diese Seite auf einmal senden kann.
errors-cross_origin = Die Anfrage kam nicht von der Plantlog-Seite selbst. Laden Sie die Seite neu.
errors-unknown_host = Plantlog antwortet nicht unter dieser Adresse. Öffnen Sie es über die IP-Adresse oder den PC-Namen.
errors-unauthorized = Bitte melden Sie sich an.
errors-session_expired = Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.
errors-forbidden = Ihre Rolle erlaubt das nicht.
errors-password_change_required = Sie müssen zuerst ein neues Passwort wählen.
errors-weak_password = { $reason ->
         [too_short] Das Passwort ist zu kurz: mindestens { $chars } Zeichen verwenden (einige Wörter ergeben ein gutes).
         [too_long] Das Passwort ist zu lang: höchstens { $chars } Zeichen verwenden.
         [username] Das Passwort darf den Benutzernamen nicht enthalten.
         [repeated] Das Passwort darf nicht aus einem wiederholten Zeichen bestehen.
         [run] Das Passwort darf keine Zeichenfolge wie abcdefghijkl sein.
         [common] Dieses Passwort steht auf einer Liste gängiger oder bekannt gewordener Passwörter; wählen Sie ein anderes.
         [common_core] Dieses Passwort ist das gängige Passwort „{ $word }“ mit ein paar Zeichen mehr; wählen Sie ein anderes.
         [place] Das Passwort darf nicht „{ $word }“ sein: das wird hier als Erstes geraten.
        *[other] Das Passwort ist zu schwach: mindestens 12 Zeichen, kein gängiges Passwort.
    }
errors-invalid_display_name = Geben Sie den Namen der Person ein.
errors-invalid_username = Dieser Benutzername ist nicht erlaubt: Buchstaben, Ziffern, Punkte, Bindestriche oder Unterstriche verwenden.
errors-username_taken = Dieser Benutzername ist schon vergeben. Wählen Sie einen anderen.
errors-last_admin = Dann gäbe es kein aktives Administratorkonto mehr. Machen Sie zuerst einen anderen Benutzer zum Administrator.
errors-setup_done = Das Administratorkonto existiert bereits. Bitte melden Sie sich an.
errors-not_found = { $what ->
         [machine] Diese Maschine gibt es nicht.
         [device] Dieses Gerät gibt es nicht.
         [tag] Diesen Messwert gibt es nicht.
         [user] Diesen Benutzer gibt es nicht.
         [session] Diese Sitzung ist schon beendet.
        *[other] Nicht gefunden.
    }
errors-internal = Plantlog konnte das wegen eines internen Fehlers nicht ausführen. Das Protokoll des Plantlog-PCs enthält die Einzelheiten unter der Referenz { $reference }.
errors-invalid_config = { $count ->
         [one] Die Konfiguration hat { $count } Fehler; beheben Sie ihn und speichern Sie erneut.
        *[other] Die Konfiguration hat { $count } Fehler; beheben Sie sie und speichern Sie erneut.
    }
errors-unknown_language = Plantlog hat keine Sprache „{ $language }“.
errors-unknown_theme = Plantlog hat kein Farbschema „{ $theme }“.
errors-stopped = Die Anfrage wurde abgebrochen, oder Plantlog wird beendet. Versuchen Sie es gleich noch einmal.
errors-network = Plantlog ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut.
errors-bad_response = Plantlog hat eine Antwort geschickt, die diese Seite nicht versteht.
errors-failed = Die Anfrage ist fehlgeschlagen ({ $status }).
errors-cli_internal = Plantlog konnte das nicht tun: { $detail }
errors-db_open = die Datenbank { $path } lässt sich nicht öffnen: { $detail }; prüfen Sie, ob der Ordner existiert und beschreibbar ist
errors-db_migrate = die Datenbank { $path } konnte nicht auf diese Version von Plantlog gebracht werden: { $detail }
errors-db_too_new = die Datenbank { $path } wurde von einem neueren Plantlog geschrieben (Datenbankschema { $found }; dieses Plantlog { $version } kennt bis { $known }). Sie wird nicht geöffnet, also wird nichts darin geändert: installieren Sie das neuere Plantlog wieder oder stellen Sie eine Sicherung dieser Version wieder her
errors-folder_in_use = ein anderer Plantlog-Prozess sammelt schon in { $dir }: { $holder }. Beenden Sie ihn zuerst oder geben Sie diesem ein anderes --data-dir
errors-lock_file = die Sperrdatei { $path } lässt sich nicht anlegen: { $detail }
errors-bad_range = Der Anfang muss vor dem Ende liegen und darf nicht in der Zukunft sein.
errors-tags_needed = Wählen Sie mindestens einen Messwert.
errors-unknown_tag = Es gibt keinen Messwert „{ $tag }“; geben Sie Messwert-IDs oder Gerät/Messwert-Namen an.
errors-range_too_long = Stundenwerte umfassen höchstens 62 Tage; wählen Sie für einen längeren Zeitraum „nach Tag“.
errors-export_cancelled = Der Export wurde abgebrochen, bevor etwas auf das Laufwerk geschrieben wurde.
errors-service_not_installed = der Plantlog-Dienst ist nicht installiert; installieren Sie ihn mit: plantlog service install
errors-service_not_admin = dafür sind Administratorrechte nötig: { $os ->
         [windows] öffnen Sie die Konsole mit „Als Administrator ausführen“ und versuchen Sie es erneut
        *[other] führen Sie es mit sudo aus
    }
errors-takeout_not_empty = { $folder } enthält andere Dateien; wählen Sie einen leeren oder neuen Ordner (oder den Ordner eines unfertigen Exports, um ihn fortzusetzen)
errors-takeout_mismatch = { $file } stimmt nicht mit der Prüfsumme überein, mit der die Datei geschrieben wurde: das Laufwerk könnte defekt sein; führen Sie den Export erneut aus, um sie neu zu schreiben
errors-takeout_cancelled = der Export wurde abgebrochen; was fertig ist, bleibt erhalten: führen Sie ihn auf demselben Ordner erneut aus, um fortzufahren
errors-config-empty_site_name = der Name des Standorts ist leer; geben Sie den Namen des Werks an
errors-config-unknown_zone = „{ $zone }“ ist keine bekannte Zeitzone; verwenden Sie einen IANA-Namen wie "Europe/Berlin" oder "America/Chicago"
errors-config-shift_no_name = die Schicht hat keinen Namen; geben Sie ihr einen, z. B. "Früh"
errors-config-shift_same_name = eine andere Schicht hat denselben Namen; Schichtnamen müssen sich unterscheiden
errors-config-not_time = „{ $value }“ ist keine Uhrzeit; schreiben Sie sie als "HH:MM", z. B. "{ $example }"
errors-config-shift_no_length = die Schicht beginnt, wenn sie endet; eine Schicht braucht eine Dauer
errors-config-day_twice = { $day } ist doppelt aufgeführt; nennen Sie jeden Tag einmal
errors-config-date_twice = { $date } ist doppelt aufgeführt
errors-config-not_date = „{ $value }“ ist kein Datum; schreiben Sie es als "JJJJ-MM-TT", z. B. "2026-12-25"
errors-config-same_key = { $what ->
         [machine] eine andere Maschine hat denselben Schlüssel
         [serial_line] eine andere serielle Leitung hat denselben Schlüssel
         [device] ein anderes Gerät hat denselben Schlüssel
        *[other] ein anderer Eintrag hat denselben Schlüssel
    }; Schlüssel müssen sich unterscheiden
errors-config-empty_machine_name = der Name der Maschine ist leer; geben Sie den Namen an, den die Leute verwenden
errors-config-micro_stop_range = die Schwelle für Kurzstopps muss 1 bis 86400 Sekunden betragen (Standard 120)
errors-config-running_counted_range = die Zeit muss 1 bis 86400 Sekunden betragen: wie lange nach einem gezählten Teil die Maschine noch als laufend gilt
errors-config-max_rate_range = die Höchstrate muss eine Zahl von Teilen pro Minute über 0 sein: ein schnellerer Zählerschritt wird zur Prüfung zurückgehalten
errors-config-empty_line = der Name der Linie ist leer; benennen Sie die Linie oder lassen Sie line weg
errors-config-state_twice = der Wert { $value } ist doppelt zugeordnet; jeder Zustandswert gehört zu einem Zustand
errors-config-empty_port = der Anschluss ist leer; geben Sie die serielle Schnittstelle an, z. B. "COM3" unter Windows oder "/dev/ttyUSB0" unter Linux
errors-config-port_used = der Anschluss { $port } wird schon von der seriellen Leitung „{ $other }“ benutzt; ein Anschluss ist eine Leitung, hängen Sie die Geräte an diese Leitung
errors-config-bad_baud = { $baud } Baud ist keine serielle Geschwindigkeit; verwenden Sie die des Geräts, z. B. 9600 oder 19200
errors-config-bad_data_bits = die Datenbits müssen 7 oder 8 sein (Modbus RTU verwendet 8)
errors-config-bad_stop_bits = die Stoppbits müssen 1 oder 2 sein
errors-config-bad_frame_gap = die Rahmenpause muss 0 bis 1000 ms betragen; lassen Sie sie weg, um 3,5 Zeichen zu verwenden
errors-config-port_zero = Port 0 ist kein Port; Modbus-TCP-Geräte hören meist auf 502
errors-config-max_registers_range = die größte Anfrage muss 1 bis 125 Register umfassen
errors-config-max_bits_range = die größte Anfrage muss 1 bis 2000 Spulen oder Eingänge umfassen
errors-config-tag_no_name = der Tag hat keinen Namen; geben Sie ihm einen, z. B. "temperatur"
errors-config-tag_same_name = ein anderer Tag dieses Geräts hat denselben Namen; Tag-Namen müssen sich innerhalb eines Geräts unterscheiden
errors-config-bad_scale = der Skalierungsfaktor muss eine Zahl ungleich 0 sein; 1 für keinen
errors-config-bad_offset = der Offset muss eine endliche Zahl sein; 0 für keinen
errors-config-role_needs_machine = ein Tag mit einer Rolle braucht eine Maschine; setzen Sie machine am Tag oder an seinem Gerät
errors-config-counter_not_integer = ein Teilezähler muss ein ganzzahliger Typ sein (u16, u32, u64, i16, i32, i64)
errors-config-state_not_number = ein Maschinenzustand muss eine Zahl sein, die die Zustände der Maschine zuordnen
errors-config-state_and_run = die Maschine hat einen Zustands-Tag und ein Lauf-Bit; ihr Zustand kommt aus einem davon, entfernen Sie die Rolle des anderen
errors-config-deadband_needed = record = "deadband" braucht deadband (eine Änderung in der Einheit des Tags) oder deadband_percent, über 0
errors-config-door_needs_deadband = record = "swinging_door" braucht deadband: die Breite der Tür in der Einheit des Tags, über 0
errors-config-text_no_deadband = ein Text-Tag wird bei jeder Abfrage oder bei Änderung gespeichert; ein Totband braucht Zahlen
errors-config-heartbeat_every_poll = jeder Messwert wird schon gespeichert; ein Heartbeat gilt mit on_change, deadband oder swinging_door
errors-config-bad_terminator = eine Zeile endet mit "\n", "\r\n" oder "\r"
errors-config-max_line_range = die längste Zeile muss 8 bis 65536 Byte lang sein
errors-config-pattern_needed = ein Gerät an einer seriellen Leitung braucht ein Muster mit benannten Gruppen, z. B. '^ST,GS,(?P<weight>[+-]?[0-9.]+)kg$'
errors-config-pattern_no_group = das Muster hat keine benannte Gruppe; benennen Sie den Teil, der einen Wert enthält, z. B. (?P<weight>...)
errors-config-field_needed = ein Tag an einer seriellen Leitung braucht field = "...": die benannte Gruppe im Muster des Geräts, die seinen Wert enthält
errors-config-field_not_modbus = field ist für Tags an seriellen Leitungen; ein Modbus-Tag gibt function und address oder register an
errors-config-register_and_address = geben Sie entweder register (wie im Handbuch, z. B. 40001) oder address (0-basiert auf der Leitung) an, nicht beides
errors-config-function_needed = sagen Sie mit address, welche Tabelle: function = "holding", "input", "coil" oder "discrete" (oder geben Sie stattdessen register wie im Handbuch an)
errors-config-no_register = der Tag hat kein Register; geben Sie register wie im Handbuch (z. B. 40001) oder function und address an
errors-config-bool_not_register = bool ist für Spulen und diskrete Eingänge; für ein Bit eines Registers verwenden Sie type = "bit" mit bit = 0..15
errors-config-bit_needed = type bit braucht bit = 0..15, das Bit des Registers (0 das niederwertigste)
errors-config-bit_not_bit = bit gilt für type = "bit"; entfernen Sie es oder ändern Sie den Typ
errors-config-length_needed = type string braucht length: die Zahl der Register (je zwei Zeichen)
errors-config-length_zero = ein Text braucht mindestens ein Register
errors-config-text_no_scale = ein Text-Tag ist Text: er hat keinen Skalierungsfaktor, Offset oder Rolle
errors-config-length_not_string = length gilt für type = "string"; entfernen Sie es oder ändern Sie den Typ
errors-config-alarm_same_key = ein anderer Alarm hat denselben Schlüssel; Alarmschlüssel müssen sich unterscheiden
errors-config-escalate_roles = nennen Sie die Rollen, an die eskaliert wird, in ihrer Reihenfolge
errors-config-after_min_range = after_min muss 1 bis 10080 Minuten (eine Woche) betragen
errors-config-alarm_no_name = der Alarm hat keinen Namen; geben Sie ihm einen, den die Leute erkennen, z. B. "Öltemperatur hoch"
errors-config-escalate_after_range = muss 1 bis 10080 Minuten (eine Woche) betragen
errors-config-escalate_to_needed = escalate_after_min braucht escalate_to: die zu benachrichtigenden Rollen, in ihrer Reihenfolge
errors-config-escalate_after_needed = escalate_to braucht escalate_after_min: die Minuten zwischen den Stufen
errors-config-action_needed = sagen Sie, was zu tun ist, wenn der Alarm kommt, z. B. "Lüfter des Ölkühlers prüfen; Presse über 90 °C anhalten"
errors-config-time_at_least_one = die Zeit muss mindestens 1 sein
errors-config-value_twice = der Wert ist doppelt aufgeführt
errors-config-value_no_text = der Wert hat keinen Text; sagen Sie, was er bedeutet, z. B. "Not-Halt"
errors-config-bit_twice = das Bit ist doppelt aufgeführt
errors-config-bit_no_text = das Bit hat keinen Text; sagen Sie, was es bedeutet, z. B. "Motorüberlast"
errors-config-needs_host = ein { $protocol }-Gerät braucht host: seine IP-Adresse oder seinen Namen
errors-config-network_no_bus = ein { $protocol }-Gerät wird über das Netzwerk erreicht, nicht über eine serielle Leitung; entfernen Sie bus oder verwenden Sie protocol = "modbus-rtu"
errors-config-needs_bus = ein { $protocol }-Gerät braucht die serielle Leitung, an der es hängt: bus = "...", ein Schlüssel aus [[buses]]
errors-config-no_bus = es gibt keine serielle Leitung „{ $b }“; fügen Sie sie unter [[buses]] hinzu oder korrigieren Sie den Schlüssel
errors-config-bus_used = die serielle Leitung „{ $b }“ wird schon vom Gerät „{ $other }“ benutzt; ein Gerät mit Textzeilen braucht eine eigene Leitung
errors-config-serial_no_net = ein { $protocol }-Gerät hängt an einer seriellen Leitung; entfernen Sie { $f }
errors-config-rtu_unit_range = die Unit-ID { $unit } ist auf einer seriellen Leitung nicht adressierbar; verwenden Sie 1 bis 247
errors-config-unit_shared = das Gerät „{ $other }“ liest schon { $endpoint } Unit { $unit }; zwei Geräte können sich keine Unit-ID auf einer Leitung oder Adresse teilen
errors-config-serial_only = { $f } ist für Geräte an seriellen Leitungen; ein Modbus-Gerät hat keins
errors-config-role_every_change = ein { $role }-Tag muss jede Änderung speichern (record = "on_change" oder "every_poll"): Produktionskennzahlen werden aus jeder Änderung berechnet
errors-config-role_twice = die Maschine „{ $machine }“ hat ihren { $role }-Tag schon bei { $at }; eine Maschine hat einen
errors-config-bad_break = „{ $start }“–„{ $end }“ ist keine Zeitspanne; schreiben Sie Anfang und Ende als "HH:MM"
errors-config-break_outside = die Pause { $start }–{ $end } liegt nicht in der Schicht { $shift_start }–{ $shift_end }; eine Pause beginnt und endet in ihrer Schicht
errors-config-break_overlap = die Pause überschneidet sich mit Pause #{ $other }; Pausen dürfen sich nicht überschneiden
errors-config-shift_overlap = die Schicht überschneidet sich mit der Schicht „{ $other }“ ({ $start }–{ $end }); Schichten eines Tages dürfen sich nicht überschneiden
errors-config-deadband_unused = { $f } gilt mit record = "deadband" oder "swinging_door"; entfernen Sie es oder ändern Sie record
errors-config-heartbeat_range = der Heartbeat muss zwischen dem Abfrageintervall ({ $poll_s } s) und 86400 s liegen
errors-config-no_machine = es gibt keine Maschine „{ $m }“; fügen Sie sie unter [[machines]] hinzu oder korrigieren Sie den Schlüssel
errors-config-bad_pattern = das Muster ist kein gültiger regulärer Ausdruck: { $e }
errors-config-no_group = das Muster hat keine Gruppe namens „{ $f }“; seine Gruppen sind: { $groups }
errors-config-modbus_only = { $f } ist für Modbus-Tags; ein Tag an einer seriellen Leitung nimmt seinen Wert aus field
errors-config-register_function = das Register { $r } ist ein { $kind }, aber function sagt { $function }; lassen Sie function weg oder korrigieren Sie es
errors-config-bad_register = { $r } ist keine Registernummer; Handbücher schreiben 00001-09999 (Spulen), 10001-19999 (diskrete Eingänge), 30001-39999 (Eingangsregister), 40001-49999 (Halteregister) oder 6 Ziffern wie 400001
errors-config-bits_are_bool = ein { $kind } enthält ein Bit; sein Typ ist bool
errors-config-bit_range = Bit { $b } gibt es nicht; ein Register hat die Bits 0 bis 15
errors-config-too_wide = der Wert umfasst { $width } Register, mehr als die größte Anfrage des Geräts ({ $limit })
errors-config-bad_key = „{ $key }“ ist kein brauchbarer Schlüssel; verwenden Sie 1 bis 64 Kleinbuchstaben, Ziffern, '-' oder '_', z. B. "presse-1"
errors-config-counted_not_needed = der Zustand der Maschine kommt schon aus ihrem Zustands-Tag oder Lauf-Bit; entfernen Sie running_when_counted_s
errors-config-counted_needs_counter = running_when_counted_s braucht den Teilezähler der Maschine: geben Sie einem ihrer Tags role = "count"
errors-config-shift_past_day = die Schicht endet, nachdem der nächste Produktionstag beginnt ({ $day_start }, der früheste Schichtbeginn); kürzen Sie sie
errors-config-ms_range = { $what ->
         [timeout] die Zeitüberschreitung
         [poll] das Abfrageintervall
        *[other] die Zeit
    } { $v } ms liegt außerhalb von { $lo } bis { $hi } ms
errors-config-past_last_address = ein { $dtype } bei { $address } reicht über die letzte Adresse 65535 hinaus; prüfen Sie die Adresse
errors-config-no_role = es gibt keine Rolle „{ $r }“; Rollen sind: { $roles }
errors-config-escalation_twice = eine andere Eskalation gilt für { $priority }-Alarme; geben Sie jeder Priorität eine
errors-config-no_roles = keine Rolle erhält diesen Alarm; geben Sie mindestens eine an von: { $roles }
errors-config-bad_delay = { $v } ist keine Verzögerung von 0 bis 86400 Sekunden
errors-config-no_tag = es gibt keinen Tag „{ $t }“; schreiben Sie ihn als "gerät/tag" mit einem konfigurierten Geräteschlüssel und Tag-Namen
errors-config-text_tag_alarm = „{ $t }“ ist ein Text-Tag; Alarme überwachen Zahlen
errors-config-no_device = es gibt kein Gerät „{ $d }“
errors-config-no_machine_alarm = es gibt keine Maschine „{ $m }“
errors-config-machine_no_state = die Maschine „{ $m }“ hat keinen Zustand: geben Sie einem ihrer Tags role = "state" oder "run"
errors-config-machine_no_counter = die Maschine „{ $m }“ hat keinen Teilezähler: geben Sie einem ihrer Tags role = "count"
errors-config-bad_deadband = { $d } ist kein Totband von 0 oder mehr
errors-config-bad_interval = { $m } ist kein Leistungsintervall von 1 bis 60 Minuten (üblich sind 15)
errors-config-bit_past_last = Bit { $bit } liegt hinter dem letzten Bit ({ $max_bit })
errors-config-digest_not_time = „{ $value }“ ist keine Uhrzeit; schreiben Sie sie als HH:MM, z. B. "07:00"
errors-config-shelve_max_zero = die längste Zurückstellzeit muss mindestens 1 Minute sein
errors-config-alarm_unused_field = { $article ->
        *[other] ein Alarm „{ $kind }“ verwendet { $f } nicht; entfernen Sie es (er verwendet { $uses })
    }
errors-config-alarm_needs_field = { $article ->
        *[other] ein Alarm „{ $kind }“ braucht { $f }; fügen Sie es hinzu
    }
errors-config-bad_limit = { $what ->
         [rate] { $l } ist keine Rate über 0 (Einheiten pro Minute)
         [demand] { $l } ist keine Leistung über 0 (kW)
        *[other] { $l } ist keine Zahl
    }
errors-config-not_toml = das ist kein gültiges TOML: { $detail }
errors-config-no_site = der Abschnitt [site] fehlt; fügen Sie ihn mit name = "..." und timezone = "Gebiet/Stadt" hinzu
errors-config-not_list = erwartet wurde eine Liste von [[{ $key }]]-Tabellen, gefunden: { $found }
errors-config-not_table = erwartet wurde eine Tabelle, gefunden: { $found }
errors-config-no_template = es gibt keine Vorlage „{ $key }“; bekannte Vorlagen sind: { $known }
errors-config-required = „{ $field }“ ist Pflicht; fügen Sie es hinzu
errors-config-unknown_value = unbekannter Wert „{ $value }“; verwenden Sie einen von { $allowed }
errors-config-not_in_range = { $value } ist { $ty ->
         [u8] keine ganze Zahl von 0 bis 255
         [u16] keine ganze Zahl von 0 bis 65535
         [u32] keine ganze Zahl von 0 bis 4294967295
         [u64] keine ganze Zahl von 0 oder mehr
        *[other] keine Zahl
    }
errors-config-unknown_key = unbekannter Schlüssel „{ $key }“{ $hint ->
         [near] ; meinten Sie "{ $near }"?
        *[other] ; bekannte Schlüssel sind: { $known }
    }
errors-config-rejected = die Konfiguration wurde nicht importiert; { $count ->
         [one] { $count } Fehler
        *[other] { $count } Fehler
    } zu beheben:
errors-config-file_rejected = die Datei wurde nicht importiert; { $count ->
         [one] { $count } Fehler
        *[other] { $count } Fehler
    } zu beheben:
errors-config-line = { $place }: { $message }
errors-config-master_rejected = die Produkte, Prüfpläne und Materialien wurden nicht importiert; { $count ->
         [one] { $count } Fehler
        *[other] { $count } Fehler
    } zu beheben:
errors-config-product_same_code = ein anderes Produkt hat diesen Code; Codes müssen sich unterscheiden (Groß- und Kleinschreibung gelten als gleich)
errors-config-product_no_name = der Name ist leer; geben Sie dem Produkt einen Namen
errors-config-product_two_plans = dieses Produkt hat einen weiteren Prüfplan; fassen Sie alle Merkmale in einem zusammen
errors-config-plan_empty = der Prüfplan prüft nichts; fügen Sie [[plans.characteristics]] hinzu
errors-config-characteristic_same_name = der Prüfplan hat ein weiteres Merkmal dieses Namens; Namen müssen sich unterscheiden
errors-config-material_same_code = ein anderes Material hat diesen Code; Codes müssen sich unterscheiden
errors-config-material_no_name = der Name ist leer; geben Sie dem Material einen Namen
errors-config-material_no_unit = die Einheit ist leer; sagen Sie, worin Mengen gezählt werden (kg, m, Stück)
errors-config-characteristic_no_name = der Name ist leer; benennen Sie, was geprüft wird
errors-config-measured_no_limit = ein gemessenes Merkmal braucht eine untere oder eine obere Grenze (oder beide)
errors-config-measured_no_unit = ein gemessenes Merkmal braucht seine Einheit (mm, bar, g)
errors-place-alarm_settings = Alarmeinstellungen
errors-place-serial_line = serielle Leitung
errors-place-site = Standort
errors-place-shift = Schicht
errors-place-machine = Maschine
errors-place-device = Gerät
errors-place-tag = Tag
errors-place-state = Zustand
errors-place-holiday = Feiertag
errors-place-alarm = Alarm
errors-place-bit = Bit
errors-place-item = Eintrag
errors-place-field = Feld
errors-place-line = Zeile
errors-place-column = Spalte
errors-place-file = Datei
errors-place-row = Zeile
errors-place-product = Produkt
errors-place-material = Material
errors-place-break = Pause
errors-place-escalation = Eskalation
errors-place-value = Wert
errors-place-plan = Prüfplan
errors-place-characteristic = Merkmal
errors-place-named = { $kind } „{ $name }“
errors-place-index = { $kind } Nr. { $n }
errors-place-number = { $kind } { $n }
errors-place-sep = ,{" "}

## account

errors-mfa_required_for_role = Ihre Rolle verlangt einen zweiten Faktor; er kann nicht ausgeschaltet werden.

## configuration

errors-config_conflict = Die Konfiguration wurde geändert, seit Sie sie geladen haben. Laden Sie sie neu und machen Sie Ihre Änderung auf der neuen Version.

## quality

errors-bad_product = Den Artikel „{ $product }“ gibt es nicht; die Qualitätssicherung legt Artikel mit ihren Prüfplänen an.
errors-lot_exists = { $what ->
         [material_lot] Die Materialcharge „{ $lot }“ ist schon eingegangen; jedes Etikett wird nur einmal vereinnahmt.
        *[other] Das Los „{ $lot }“ gibt es schon; geben Sie jedem Los eine eigene Nummer.
    }
errors-lot_running = Das Los „{ $lot }“ läuft an { $machine }; beenden Sie es, bevor Sie ein neues starten.
errors-lot_ended = { $action ->
         [check] Das Los „{ $lot }“ ist beendet; Prüfungen werden an laufenden Losen erfasst (eine Korrektur einer früheren Prüfung ist erlaubt).
        *[other] Das Los „{ $lot }“ ist bereits beendet.
    }
errors-bad_characteristic = Diese Prüfung steht nicht im aktuellen Prüfplan des Artikels; laden Sie die Seite neu und erfassen Sie sie im aktuellen Plan.
errors-bad_correction = Diese Prüfung kann nicht korrigiert werden: korrigieren Sie die neueste Prüfung desselben Loses und Merkmals.
errors-bad_disposition = Wählen Sie Nacharbeit, Ausschuss oder Sonderfreigabe.
errors-in_spec = Diese Prüfung ist in Toleranz; nur Ergebnisse außer Toleranz brauchen eine Entscheidung.
errors-no_gauge = Diese Prüfung wird von keinem Messmittel gelesen, das Plantlog kennt; geben Sie den Wert ein.
errors-gauge_timeout = Vom Messmittel „{ $gauge }“ kam in { $seconds } s kein Wert; drücken Sie die Sendetaste und versuchen Sie es erneut, oder geben Sie den Wert ein.
errors-bad_field = { $rule ->
         [length] Geben Sie { $field ->
         [code] die Losnummer
         [reason] den Grund
         [supplier] den Lieferanten
         [supplier_lot] die Losnummer des Lieferanten
        *[other] { $field }
    } mit 1 bis { $max } Zeichen an (jetzt { $given }).
         [too_long] { $field ->
         [comment] Ein Kommentar
         [certificate] Eine Zeugnisreferenz
        *[other] Dieses Feld
    } hat höchstens { $max } Zeichen (jetzt { $given }).
         [range] Ausschuss ist { $min } bis { $max } Teile; { $given } ist es nicht.
         [positive] Geben Sie eine Menge größer als 0 an.
         [deviation_comment] Freigabe mit Abweichung braucht einen Kommentar: warum die Teile verwendet werden dürfen.
         [issue_machine] Geben Sie an, an welche Maschine das Material ausgegeben wird.
        *[other] { $detail }
    }
errors-bad_time = { $rule ->
         [start_future] Ein Los wird jetzt oder in der Vergangenheit gestartet, nicht in der Zukunft.
         [end] Ein Los endet nach seinem Start und nicht in der Zukunft.
         [received_future] Material wird jetzt oder in der Vergangenheit empfangen, nicht in der Zukunft.
        *[other] { $detail }
    }
errors-bad_value = { $rule ->
         [measured] „{ $name }“ wird gemessen: geben Sie den Wert in { $unit } an.
         [measured_no_unit] „{ $name }“ wird gemessen: geben Sie den Wert in seiner Einheit an.
         [not_number] Der Wert von „{ $name }“ ist keine Zahl.
         [measured_not_pass] „{ $name }“ wird gemessen: geben Sie einen Wert an, nicht i.O. oder n.i.O.
         [pass_fail] „{ $name }“ ist i.O./n.i.O.: wählen Sie i.O. oder n.i.O.
        *[other] { $detail }
    }
errors-bad_kind = { $rule ->
         [move] „{ $given }“ ist keine Lagerbewegung: wählen Sie Ausgabe, Rückgabe oder Ausschuss (der Wareneingang hat sein eigenes Formular).
        *[other] { $detail }
    }
errors-bad_paper = Papierformat „{ $given }“ ist unbekannt: wählen Sie A4 oder Letter.

## stores

errors-bad_material = Das Material „{ $material }“ gibt es nicht; legen Sie es zuerst bei den Materialien an.
errors-negative_stock = Die Materialcharge { $lot } hat { $on_hand } { $unit } Bestand; { $move ->
         [issue] eine Ausgabe
        *[other] eine Verschrottung
    } von { $quantity } { $unit } ließe { $left } übrig — prüfen Sie Menge oder Etikett (der Administrator kann negativen Bestand auf dieser Seite erlauben).

## sync

errors-bad_bandwidth = Ein Bandbreitenlimit von { $bytes } Byte/s ist nicht möglich: 0 (kein Limit) oder mindestens 1 kB/s angeben.
