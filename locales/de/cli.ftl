# Die Befehlszeile: was eine Person im Werk liest.

cli-error = Fehler: { $message }
cli-file-written = { $file } ({ $bytes } Bytes)

cli-users-none = Noch keine Benutzer: Öffnen Sie die Weboberfläche, um das Admin-Konto anzulegen.
cli-users-disabled = (deaktiviert)
cli-users-no-such = es gibt keinen Benutzer „{ $name }“
cli-users-new-password = Neues Passwort für { $name }: { $password }
cli-users-must-change = Beim nächsten Anmelden muss ein eigenes gewählt werden.
cli-users-mfa-removed = Der zweite Faktor von { $name } ist entfernt. Wo die Rolle einen verlangt, wird er beim nächsten Anmelden neu eingerichtet.

cli-run-running = Plantlog läuft unter { $url }
cli-run-data-folder = Datenordner: { $folder }
cli-run-stopping = Wird beendet...
cli-run-no-admin = Noch kein Admin-Konto. Öffnen Sie die Adresse oben auf diesem PC, um es anzulegen; die Einrichtungsseite fragt nach diesem Code:
cli-run-setup-code = Einrichtungscode: { $code }
cli-run-lan = Im Werksnetz ist Plantlog per HTTPS erreichbar unter:
cli-run-certificate = Zertifikat: SHA-256 { $fingerprint }
cli-run-certificate-self-signed = Zertifikat (selbst signiert): SHA-256 { $fingerprint }

cli-config-valid = { $file } ist eine gültige Konfiguration: { $machines } Maschinen, { $devices } Geräte, { $tags } Messwerte
cli-config-imported = { $file } als Konfigurationsversion { $version } in { $folder } importiert
cli-config-unchanged = { $file } ist bereits die laufende Konfiguration (Version { $version }); nichts geändert
cli-config-none = { $folder } hat noch keine Konfiguration; importieren Sie eine mit: plantlog config import DATEI.toml
cli-config-wrote = Konfigurationsversion { $version } nach { $file } geschrieben

cli-backup-done = { $folder } gesichert nach { $backup }: { $size }, { $files } Dateien, geprüft (Integrität ok, { $tables } Tabellen und der neueste Wert von { $tags } Messwerten zum Zeitpunkt der Sicherung), Dauer { $seconds } s (die Kopie { $copy } s).
cli-backup-incremental = Inkrementell auf { $parent }: { $stored } von { $pages } Seiten geändert und gespeichert.
cli-backup-verifies = Die Sicherung { $backup } ist in Ordnung: { $files } Dateien mit ihrem SHA-256, Integrität ok, { $tables } Tabellen und der neueste Wert von { $tags } Messwerten wie aufgezeichnet ({ $size } von { $name }), Dauer { $seconds } s.
cli-backup-not-verified = die Sicherung { $backup } ist fehlerhaft: { $problems }
cli-backup-restored = Die Sicherung von { $name } wurde in { $folder } wiederhergestellt.
cli-backup-kept-aside = Die vorherigen Daten liegen in { $aside } (nichts wurde gelöscht).
cli-backup-was-empty = Der Datenordner war leer.
cli-backup-none = Keine Sicherungen in { $folder }.
cli-backup-no-target = für { $folder } ist kein Sicherungsziel eingerichtet: fügen Sie eines auf der Seite Sicherungen hinzu, oder geben Sie einen Ordner mit --to an
cli-backup-skipped = { $target }: { $why }; übersprungen.
cli-backup-target-done = { $target }: gesichert nach { $backup } ({ $size }), geprüft, Dauer { $seconds } s.
cli-backup-target-failed = { $target }: FEHLGESCHLAGEN: { $error }
cli-backup-failed-count = { $count } Sicherungsziel(e) fehlgeschlagen
cli-backup-drill-failed = die Wiederherstellungsprobe von { $backup } ist nach { $seconds } s FEHLGESCHLAGEN: { $detail }
cli-backup-drill-passed = Die Wiederherstellungsprobe von { $backup } ({ $target }) ist bestanden, Dauer { $seconds } s: { $detail }.

cli-sync-on = Synchronisierung ist an: Standort { $site } an { $url }, sendet { $streams }. Das Token liegt { $kept }.
cli-sync-off = Synchronisierung ist aus.
cli-sync-unlimited = Die Synchronisierung sendet ohne Bandbreitenbegrenzung.
cli-sync-limit = Die Synchronisierung sendet im Mittel höchstens { $bytes } Bytes pro Sekunde.

cli-service-installed = Plantlog-Dienst installiert: Datenordner { $folder }, Weboberfläche http://{ $addr }/
cli-service-started = Gestartet. Er startet bei jedem Hochfahren von selbst.
cli-service-removed = Plantlog-Dienst entfernt. Sein Datenordner bleibt erhalten.
cli-service-stopped = Plantlog-Dienst gestoppt; bis zum nächsten Start wird nichts erfasst.

cli-export-no-drive = Kein Wechseldatenträger eingesteckt.
cli-export-no-label = (ohne Namen)
cli-export-drive-free = { $free } GiB frei von { $size } GiB
cli-export-nothing = wählen Sie, was exportiert werden soll: --reports, --tags, --config oder --audit
cli-export-done = { $files } Dateien, { $bytes } Bytes, jede Prüfsumme zurückgelesen und bestätigt. Der Datenträger kann entfernt werden.
cli-export-cancelling = wird abgebrochen; noch einmal Strg+C, um sofort zu beenden

cli-forget-user-plan = { $user } ({ $name }) wird zu { $pseudonym }: Anmeldedaten, { $sessions } Sitzungen und die E-Mail-Adresse werden entfernt; { $audit } Protokolleinträge nennen die Person oder stammen von ihr.
cli-forget-rows-name-them = { $table }: { $rows } Zeilen nennen die Person
cli-forget-to-do-it = Zum Ausführen: { $command }
cli-forget-confirm-unchanged = --confirm muss genau { $phrase } sein; nichts wurde geändert
cli-forget-confirm-removed = --confirm muss genau { $phrase } sein; nichts wurde entfernt
cli-forget-user-done = Erledigt: { $rows } Zeilen geändert, { $audit } Protokolleinträge als { $pseudonym } neu geschrieben und neu verkettet (Kettenende { $head }); die Datenbank ging von { $before } auf { $after } Bytes.
cli-forget-tag-plan = { $name } (Messwert { $id }): { $samples } Werte und { $rollups } Verdichtungszeilen würden entfernt.
cli-forget-tag-done = Erledigt: { $rows } Zeilen entfernt, protokolliert, die Datenbank verdichtet.
cli-forget-rows-removed = { $table }: { $rows } Zeilen entfernt
cli-forget-rows-unlinked = { $table }: { $rows } Zeilen entkoppelt, behalten
cli-forget-archived = zuerst archiviert nach { $file }
cli-forget-history-done = Erledigt: { $samples } Werte entfernt, protokolliert; die Datenbank ging von { $before } auf { $after } Bytes.

cli-takeout-done = { $files } Dateien, { $bytes } Bytes, { $samples } Werte bis { $until }{ $resumed }; jede Datei gegen SHA256SUMS zurückgelesen ({ $sums }).
cli-takeout-resumed = , { $resumed } von { $parts } Teilen aus dem unterbrochenen Lauf übernommen
cli-takeout-schema = Was darin ist: schema.md
cli-takeout-stopping = wird nach diesem Schritt beendet; denselben Befehl erneut ausführen, um fortzusetzen

cli-wrote = { $file } geschrieben

cli-audit-broken = die Kette des Audit-Protokolls ist bei Eintrag { $id } unterbrochen: { $reason }. Die Einträge davor sind unverändert ({ $checked } geprüft).
cli-audit-intact = Das Audit-Protokoll ist unverändert: { $records } Einträge ({ $first } bis { $last }), jeder folgt aus dem vorigen.
cli-audit-head = Letzter Hash: { $head }
cli-audit-empty = Das Audit-Protokoll ist leer.

cli-support-wrote = { $file } geschrieben ({ $bytes } Bytes, { $files } Dateien) aus { $folder }
cli-support-no-problems = Keine Warnungen oder Fehler in den Protokollen von { $folder }.

cli-import-samples = { $samples } Messwerte von { $tags } Tags ({ $from } bis { $to }) aus { $file } nach { $folder } importiert
cli-import-events = Aus { $file } importiert: { $reasons } Gründe, { $stops } Stoppgründe, { $planned } geplante Stopps, { $scrap } Ausschussmeldungen, { $cycles } Soll-Taktzeiten

cli-quality-no-config = { $folder } hat noch keine Konfiguration; Produkte beziehen sich auf ihre Maschinen: zuerst eine importieren mit plantlog config import DATEI.toml
cli-quality-imported = { $file } nach { $folder } importiert: Produkte { $products_added } neu, { $products_changed } geändert; Merkmale { $characteristics_added } neu, { $characteristics_retired } stillgelegt (ihre Prüfungen bleiben); Materialien { $materials_added } neu, { $materials_changed } geändert

cli-trace-not-found = in { $folder } gibt es kein Fertigungslos, Lieferantenlos oder Materiallos „{ $lot }“
cli-trace-material-lot = Materiallos { $code }: { $quantity } { $unit } { $material } von { $supplier } (Lieferantenlos { $supplier_lot }), eingegangen { $received }, { $on_hand } vorrätig
cli-trace-used-in = Verwendet in { $count } Fertigungslosen:
cli-trace-lot = { $code }  { $product } auf { $machine }  { $from } bis { $to }
cli-trace-running = läuft

cli-modbus-not-a-port = „{ $port }“ ist keine Portnummer
cli-modbus-parity = Parität „{ $parity }“ ist nicht none, even oder odd
cli-modbus-where = Geben Sie an, wo gelesen wird: genau eines von --tcp HOST[:PORT], --rtu-tcp HOST:PORT, --serial PORT
cli-modbus-not-a-type = „{ $given }“ ist kein Typ: bool, bit, u16, i16, u32, i32, u64, i64, f32, f64, string
cli-modbus-not-an-order = „{ $given }“ ist keine Reihenfolge: ABCD, CDAB, BADC, DCBA
cli-modbus-request = { $request } über { $link }
cli-modbus-not-a-number = keine Zahl
cli-modbus-unit = Gerät { $unit }
cli-modbus-scanned = { $line } abgefragt: { $asked }
cli-modbus-no-unit = Kein Gerät hat geantwortet. Prüfen Sie Verdrahtung, Baudrate und Parität.
cli-modbus-answers = Gerät { $unit }: antwortet, { $ms } ms
cli-modbus-answers-exception = Gerät { $unit }: antwortet (Ausnahme { $code } für dieses Register), { $ms } ms
cli-modbus-no-ports = Keine seriellen Schnittstellen gefunden. Stecken Sie den RS-485-Adapter ein und versuchen Sie es erneut.

cli-demo-generating = Erzeuge { $days } Tage Verlauf der Demo-Anlage (nur in einem neuen Datenordner)...
cli-demo-history-days = --history-days { $days }: geben Sie 0,01 bis 3660 Tage an
cli-demo-ready = Bereit nach { $seconds } s.
cli-demo-running = Die Plantlog-Demo-Anlage läuft unter { $url }
cli-demo-users = Demo-Benutzer (neue Passwörter bei jedem Start):
cli-demo-role = Rolle
cli-demo-username = Benutzername
cli-demo-password = Passwort
cli-demo-stop = Beenden mit Strg+C.

cli-forget-machine-plan = { $key } ({ $name }): { $samples } Messwerte von { $tags } Tags und diese Zeilen würden entfernt (die Datenbank hat { $bytes } Bytes):
cli-forget-rows = { $table }: { $rows } Zeilen
cli-forget-rows-would-unlink = { $table }: { $rows } Zeilen von der Maschine und ihren Losen gelöst (behalten: der Lagerbestand bleibt richtig)
cli-forget-class = --class ist eines von raw, minute, hour, audit
cli-forget-date = das Datum wird als 2026-01-31 (ab 00:00 UTC) oder 2026-01-31T12:00:00Z geschrieben
cli-forget-future = { $date } liegt in der Zukunft; wählen Sie ein Datum bis heute
cli-forget-before-plan = { $class } vor { $date }: { $rows } Zeilen aus { $table } ({ $samples } Messwerte) würden entfernt (die Datenbank hat { $bytes } Bytes).

cli-reset-plan = Das Zurücksetzen auf Werkseinstellungen entfernt alles in { $folder } ({ $entries } Einträge, { $bytes } Bytes): die Datenbank mit allen Messwerten, Benutzern, dem Audit-Protokoll und den Einstellungen.
cli-reset-export-first = Nehmen Sie zuerst alles mit --export-to ORDNER heraus (ein vollständiger, geprüfter Export, bevor etwas entfernt wird).
cli-reset-confirm = --confirm muss { $phrase } lauten; nichts wurde entfernt
cli-reset-stop-first = beenden Sie zuerst Plantlog (den Dienst oder das Fenster)
cli-reset-export-failed = der letzte Export wurde nicht fertig; nichts wurde entfernt
cli-reset-exported = Letzter Export: { $folder } ({ $files } Dateien, geprüft)
cli-reset-done = { $folder } ist leer: Plantlog beginnt dort wie auf einem neuen PC.

cli-backup-waiting-for-stick = wartet auf den USB-Stick „{ $label }“: er ist nicht eingesteckt
cli-backup-good = in Ordnung
cli-backup-state-failed = FEHLGESCHLAGEN: { $why }
cli-backup-incomplete = unvollständig: { $why }
cli-backup-full = vollständig
cli-backup-incremental-on = inkrementell auf { $parent }
cli-backup-encrypted = { $kind }, verschlüsselt

## Ablehnungen und Fehler des Befehls selbst.

cli-no-runtime = die asynchrone Laufzeit lässt sich nicht starten
cli-cannot-read = { $file } lässt sich nicht lesen
cli-cannot-write = { $file } lässt sich nicht schreiben
cli-cannot-create-folder = der Datenordner { $folder } lässt sich nicht anlegen
cli-cannot-open-folder = der Datenordner { $folder } lässt sich nicht öffnen
cli-cannot-remove = { $file } lässt sich nicht entfernen
cli-cannot-read-key = die Datei mit dem Wiederherstellungsschlüssel { $file } lässt sich nicht lesen
cli-config-changed-since = Geändert seit Version { $base }:
cli-bad-time = { $flag }: „{ $given }“ ist weder ein Tag noch eine Uhrzeit; schreiben Sie einen Tag (2026-03-02), eine Zeit in RFC 3339 mit Zeitversatz („2026-03-02T06:14:03+01:00“ oder „...Z“) oder UTC-Millisekunden
cli-bad-delimiter = --delimiter muss ein einzelnes ASCII-Zeichen sein, etwa , oder ;
cli-export-no-report = --reports: kein Bericht „{ $given }“; shift, production, energy oder tag
cli-export-no-format = --reports: kein Format „{ $given }“; pdf, xlsx oder csv
cli-export-file = { $name }  { $size } Bytes  { $sha }
cli-service-ended = der Plantlog-Dienst wurde beendet
cli-log-warning = Warnung: { $error }; Protokoll nur auf der Konsole
cli-service-status-none = Der Plantlog-Dienst ist nicht installiert. Installieren Sie ihn mit: plantlog service install
cli-service-status = Plantlog-Dienst: { $state }
cli-service-status-pid = Prozess: { $pid }
cli-service-status-folder = Datenordner: { $folder }
cli-service-status-url = Erreichbar unter: { $url }
