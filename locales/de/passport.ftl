# The data passport (src/passport) as a document, made from the UI's catalogues
# ui/src/i18n/passfacts/de.json (the facts' words; "doc": the document's frame) and
# ui/src/i18n/passport/de.json (section titles and fact labels) by
# ui/src/lib/passportftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/passportwords

## Section titles and fact labels.

passport-section-collected = Was erfasst wird
passport-section-stored = Wo es gespeichert wird
passport-section-access = Wer darauf zugreifen kann
passport-section-protection = Wie es geschützt ist
passport-section-outage = Wenn das Internet ausfällt
passport-section-retention = Wie lange es aufbewahrt wird
passport-section-backups = Datensicherungen
passport-section-leaves = Was das Werk verlässt
passport-section-ownership = Wem die Daten gehören und wie man sie mitnimmt
passport-fact-collected-devices = Geräte
passport-fact-collected-tags = Tags
passport-fact-collected-poll_rates = Abfrageraten
passport-fact-collected-recording = Aufzeichnungsregeln
passport-fact-collected-stop_reasons = Von Personen angegebene Stillstandsgründe
passport-fact-collected-scrap = Ausschussbuchungen
passport-fact-collected-counter_reviews = Zählerprüfungen
passport-fact-collected-quality = Qualitätsprüfungen
passport-fact-collected-logins = Erfasste Anmeldungen
passport-fact-collected-audit = Einträge im Prüfprotokoll
passport-fact-stored-database = Datenbankdatei
passport-fact-stored-data_dir = Datenordner
passport-fact-stored-size = Größe (Datei und Write-Ahead-Log)
passport-fact-stored-free = Freier Platz auf dem Laufwerk
passport-fact-stored-growth = Zuwachs pro Tag
passport-fact-stored-days_left = Verbleibende Tage bei diesem Zuwachs
passport-fact-stored-memory_only = Nur im Arbeitsspeicher
passport-fact-access-users = Benutzer nach Rolle
passport-fact-access-vendors = Lieferantenkonten
passport-fact-access-displays = Anzeige-Tokens (Tafeln nur zum Lesen)
passport-fact-access-lan = Zugriff im LAN
passport-fact-access-sessions = Offene Sitzungen
passport-fact-access-permissions = Berechtigungsmatrix
passport-fact-protection-password = Passwortregel
passport-fact-protection-lockout = Sperre
passport-fact-protection-mfa = Zweiter Faktor nötig für
passport-fact-protection-sessions = Sitzungs-Zeitlimits
passport-fact-protection-tls = TLS
passport-fact-protection-audit_chain = Unversehrtheit des Prüfprotokolls (jetzt geprüft)
passport-fact-protection-backup_encryption = Verschlüsselung der Sicherungen
passport-fact-outage-keeps_working = Was weiterläuft
passport-fact-outage-sync_queue = Sync-Warteschlange
passport-fact-outage-mail_queue = E-Mail-Warteschlange
passport-fact-retention-raw = Rohwerte
passport-fact-retention-minute = Minutenverdichtung
passport-fact-retention-hour = Stundenverdichtung
passport-fact-retention-audit = Prüfprotokoll
passport-fact-retention-archive = Vor dem Löschen archivieren
passport-fact-retention-purges = Löschverlauf
passport-fact-backups-targets = Ziele
passport-fact-backups-last_good = Letzte geprüfte gute Sicherung
passport-fact-backups-drill = Letzte Wiederherstellungsübung
passport-fact-leaves-sync = Sync zu einem zentralen Server
passport-fact-leaves-sync_data = Welche Daten
passport-fact-leaves-last_sent = Zuletzt gesendet
passport-fact-leaves-mail = Alarm-E-Mail
passport-fact-leaves-nothing_else = Sonst nichts
passport-fact-ownership-owner = Eigentümer
passport-fact-ownership-formats = Vollständiger Export
passport-fact-ownership-last_export = Letzter vollständiger Export
passport-fact-ownership-deletion = Löschen auf Anfrage

## The facts.

passport-text = { $text }
passport-count = { $n }
passport-size = { $size }
passport-list_sep = ,{" "}
passport-never = nie
passport-utc = { $time } UTC
passport-bytes = { $n ->
         [one] { $n } Byte
        *[other] { $n } Byte
    }
passport-span_s = { $n } s
passport-span_min = { $n } min
passport-span_h = { $n } h
passport-span_days = { $n ->
         [one] { $n } Tag
        *[other] { $n } Tage
    }
passport-not_configured = nicht eingerichtet
passport-none = keine
passport-none_yet = noch keine
passport-off = aus
passport-off_not_configured = aus (nicht eingerichtet)
passport-list = { $items }
passport-role_operator = Bediener
passport-role_supervisor = Schichtleiter
passport-role_maintenance = Instandhaltung
passport-role_quality = Qualität
passport-role_stores = Lager
passport-role_management = Management
passport-role_admin = Administrator
passport-device_item = { $name } ({ $key }): { $tags ->
         [one] { $tags } Tag
        *[other] { $tags } Tags
    }, abgefragt alle { $ms } ms
passport-tag_item = { $device }/{ $tag }: { $unit }, alle { $ms } ms, gespeichert { $policy }
passport-no_unit = ohne Einheit
passport-record_every_poll = bei jeder Abfrage
passport-record_on_change = bei Änderung
passport-record_deadband = mit Totband
passport-record_swinging_door = mit Swinging Door
passport-poll_rate = { $n ->
         [one] { $n } Tag
        *[other] { $n } Tags
    } alle { $ms } ms
passport-recording_item = { $n ->
         [one] { $n } Tag
        *[other] { $n } Tags
    } { $policy }
passport-free_of = { $free } von { $total }
passport-not_measured = noch nicht gemessen
passport-growth = { $size } pro Tag (aus den Messwerten, die in den letzten { $covered } gespeichert wurden; gemessen über höchstens { $days } Tage, mindestens eine Stunde)
passport-growth_none = in den letzten { $days } Tagen keine Messwerte gespeichert
passport-days = { $n ->
         [one] { $n } Tag
        *[other] { $n } Tage
    }
passport-not_measurable = noch nicht messbar
passport-memory_only = der neueste Wert jedes Tags und der Live-Datenstrom (jeder Messwert wird live gezeigt; was gespeichert wird, folgt der Aufzeichnungsregel des Tags)
passport-role_count = { $n } { $role }
passport-user_item = { $role }: { $name } ({ $username }): letzte Anmeldung { $last }, { $mfa ->
         [on] MFA an
         [required] MFA verlangt, nicht eingerichtet
        *[other] keine MFA
    }{ $disabled ->
         [yes] , gesperrt
        *[other] {""}
    }
passport-vendor_item = { $name } ({ $username }): letzte Anmeldung { $last }, { $mfa ->
         [on] MFA an
         [required] MFA verlangt, nicht eingerichtet
        *[other] keine MFA
    }{ $disabled ->
         [yes] , gesperrt
        *[other] {""}
    }; Lieferant { $company }, läuft ab { $expires }
passport-displays = { $n } aktiv
passport-display_item = { $name }: zuletzt benutzt { $last }
passport-lan_on = an, lauscht auf { $listen }
passport-lan_off = aus (nur dieser PC, { $listen })
passport-permissions = die Rechte jeder Rolle, wie der Server sie durchsetzt
passport-tls_off = nicht in Gebrauch: LAN-Zugriff ist aus (nur dieser PC)
passport-tls_on = HTTPS im LAN, { $kind ->
         [self_signed] selbst signiertes
        *[other] hochgeladenes
    } Zertifikat gültig bis { $until }, SHA-256 { $fingerprint }
passport-tls_no_cert = LAN-Zugriff an, noch kein Zertifikat
passport-password = mindestens { $min } Zeichen, nicht unter { $common } häufigen Passwörtern
passport-lockout = nach { $name } Fehlversuchen für einen Namen oder { $address } von einer Adresse innerhalb von { $minutes } Minuten
passport-vendor_accounts = Lieferantenkonten
passport-session_timeouts = endet nach { $idle } ohne Aktivität und { $max } nach der Anmeldung
passport-audit_intact = unversehrt: { $records } Einträge, Kopf { $head }
passport-audit_broken = GEBROCHEN bei Eintrag { $id }: { $reason }
passport-encryption_off = nicht eingerichtet: Sicherungen sind einfache Kopien; schützen Sie den Zielordner
passport-encryption_key_away = an (age, für { $recipient }); der Schlüssel ist NICHT auf diesem PC: geben Sie den Wiederherstellungsschlüssel ein, um zu prüfen, wiederherzustellen oder zu üben
passport-encryption_key_in_memory = an (age, für { $recipient }); der Schlüssel liegt nur im Arbeitsspeicher, bis Plantlog beendet wird ({ $why })
passport-encryption_key_in_keyring = an (age, für { $recipient }); der Schlüssel liegt im Schlüsselbund des Betriebssystems
passport-keeps_working = alles: Erfassung, Speicherung, die Seiten, Alarme, Berichte und Sicherungen auf lokale Ziele laufen auf diesem PC und brauchen kein Internet
passport-sync_no_raw = Rohwerte werden nicht gesendet; { $streams }
passport-stream_item = { $stream }: { $rows } Zeilen gesendet{ $waiting ->
         [yes] , ein Paket wartet
        *[other] {""}
    }
passport-sync_backlog = { $n } Messwerte warten ({ $size }), bestätigt bis { $acked }
passport-sync_backlog_behind = { $n } Messwerte warten ({ $size }), bestätigt bis { $acked }, { $behind } im Rückstand
passport-mail_queue = { $waiting } wartend, { $failed } fehlgeschlagen
passport-mail_queue_oldest = { $waiting } wartend, die älteste seit { $oldest }, { $failed } fehlgeschlagen
passport-kept_by_hand = aufbewahrt, bis von Hand entfernt
passport-archive_on = an, nach { $dir }
passport-purges_none = noch nichts entfernt
passport-purges = { $n ->
         [one] { $n } Bereinigung
        *[other] { $n } Bereinigungen
    }, die letzte { $last }
passport-purge_item = { $ts }: { $class ->
         [raw] Rohwerte
         [minute] Minutenverdichtungen
         [hour] Stundenverdichtungen
         [audit] Audit-Protokoll
        *[other] { $class }
    } vor { $before }, { $rows } Zeilen ({ $samples } Messwerte) durch den Aufbewahrungsjob
passport-purge_item_archived = { $ts }: { $class ->
         [raw] Rohwerte
         [minute] Minutenverdichtungen
         [hour] Stundenverdichtungen
         [audit] Audit-Protokoll
        *[other] { $class }
    } vor { $before }, { $rows } Zeilen ({ $samples } Messwerte) durch den Aufbewahrungsjob, archiviert nach { $archive }
passport-target_item = { $name }: { $path } ({ $schedule }{ $enabled ->
         [no] , aus
        *[other] {""}
    }){ $overdue ->
         [yes] , ÜBERFÄLLIG
        *[other] {""}
    }
passport-last_good = { $time } auf { $target }, { $name } ({ $size })
passport-drill = { $time }: { $passed ->
         [yes] bestanden
        *[other] FEHLGESCHLAGEN
    } ({ $backup } auf { $target }){ $overdue ->
         [yes] , überfällig
        *[other] {""}
    }
passport-sync_on = an, zu { $url } als Standort { $site } ({ $state ->
         [off] aus
         [connected] verbunden
         [behind] holt auf
         [offline] offline
         [parked] ein Paket abgelehnt, wartet auf den Administrator
        *[other] { $state }
    })
passport-sync_data = { $classes }, älteste zuerst
passport-sync_data_lost = { $classes }, älteste zuerst. Verloren, bevor sie gesendet wurden (von der Aufbewahrung entfernt, während die Synchronisation zurücklag): { $lost }
passport-sync_no_class = keine (keine Datenklasse gewählt)
passport-sync_class_raw = Rohwerte (jeder Messwert eines Tags)
passport-sync_class_rollups = Minuten- und Stundenverdichtungen
passport-sync_class_production = Produktionseinträge (Stillstandsgründe, geplante Stillstände, Ausschuss und Idealtakte)
passport-sync_class_audit = das Audit-Protokoll
passport-sync_class_config = Konfigurationsversionen
passport-lost_raw = { $n } Rohwerte von { $tags ->
         [one] { $tags } Tag
        *[other] { $tags } Tags
    }
passport-lost_rollups = { $n ->
         [one] { $n } Tag-Stunde
        *[other] { $n } Tag-Stunden
    } Verdichtungen von { $tags ->
         [one] { $tags } Tag
        *[other] { $tags } Tags
    }
passport-lost_audit = { $n } Audit-Einträge
passport-last_sent = { $time } ({ $n } Messwerte, { $size })
passport-mail_on = an den SMTP-Server { $host }:{ $port }
passport-nothing_else = Plantlog baut keine Netzwerkverbindung auf außer zu den eingerichteten Geräten, dem eingerichteten SMTP-Server und dem eingerichteten zentralen Server.
passport-owner = das Werk: alles liegt in seiner eigenen Datenbankdatei auf diesem PC, auf Wunsch in offenen Formaten
passport-formats = jede Tabelle als CSV; jeder Messwert und jede Verdichtung als Parquet und CSV; die Konfiguration als TOML; schema.md und schema.json; SHA256SUMS. Lässt sich ohne Plantlog in Excel, pandas oder DuckDB laden; fortsetzbar
passport-last_export = { $time } von { $who } nach { $to } ({ $what })
passport-deletion = der Name einer Person (überall durch ein Pseudonym ersetzt; ihre Handlungen bleiben), die Historie eines Tags; geplant, bestätigt, protokolliert, danach wird die Datenbank verdichtet
passport-doc-title = Datenpass: { $plant }
passport-doc-read_at = Gelesen aus dem laufenden Plantlog am { $time }. Jede Angabe unten ist sein Live-Zustand in diesem Moment.
passport-doc-fact = Angabe
passport-doc-now = Jetzt
passport-doc-changed_at = Geändert unter
passport-doc-line = { $label }: { $value }
passport-doc-line_changed = { $label }: { $value } (geändert unter { $change })
passport-doc-pdf_title = Datenpass
passport-doc-pdf_plant = { $plant }: jede Angabe ist der Live-Zustand des laufenden Plantlog in diesem Moment
