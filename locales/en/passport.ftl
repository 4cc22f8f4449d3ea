# The data passport (src/passport) as a document, made from the UI's catalogues
# ui/src/i18n/passfacts/en.json (the facts' words; "doc": the document's frame) and
# ui/src/i18n/passport/en.json (section titles and fact labels) by
# ui/src/lib/passportftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/passportwords

## Section titles and fact labels.

passport-section-collected = What is collected
passport-section-stored = Where it is stored
passport-section-access = Who can access it
passport-section-protection = How it is protected
passport-section-outage = When the internet fails
passport-section-retention = How long it is kept
passport-section-backups = Backups
passport-section-leaves = What leaves the plant
passport-section-ownership = Who owns it, and taking it out
passport-fact-collected-devices = Devices
passport-fact-collected-tags = Tags
passport-fact-collected-poll_rates = Poll rates
passport-fact-collected-recording = Recording policies
passport-fact-collected-stop_reasons = Stop reasons given by people
passport-fact-collected-scrap = Scrap entries
passport-fact-collected-counter_reviews = Counter reviews
passport-fact-collected-quality = Quality check entries
passport-fact-collected-logins = Logins recorded
passport-fact-collected-audit = Audit log entries
passport-fact-stored-database = Database file
passport-fact-stored-data_dir = Data folder
passport-fact-stored-size = Size (file and write-ahead log)
passport-fact-stored-free = Free space on its drive
passport-fact-stored-growth = Growth per day
passport-fact-stored-days_left = Days left at that rate
passport-fact-stored-memory_only = In memory only
passport-fact-access-users = Users by role
passport-fact-access-vendors = Vendor accounts
passport-fact-access-displays = Display tokens (read-only boards)
passport-fact-access-lan = LAN access
passport-fact-access-sessions = Sessions open
passport-fact-access-permissions = Permission matrix
passport-fact-protection-password = Password rule
passport-fact-protection-lockout = Lockout
passport-fact-protection-mfa = Second factor required for
passport-fact-protection-sessions = Session timeouts
passport-fact-protection-tls = TLS
passport-fact-protection-audit_chain = Audit log integrity (verified now)
passport-fact-protection-backup_encryption = Encryption of backups
passport-fact-outage-keeps_working = What keeps working
passport-fact-outage-sync_queue = Sync queue
passport-fact-outage-mail_queue = E-mail queue
passport-fact-retention-raw = Raw samples
passport-fact-retention-minute = Minute rollups
passport-fact-retention-hour = Hour rollups
passport-fact-retention-audit = Audit log
passport-fact-retention-archive = Archive before removing
passport-fact-retention-purges = Purge history
passport-fact-backups-targets = Targets
passport-fact-backups-last_good = Last good verified backup
passport-fact-backups-drill = Last restore drill
passport-fact-leaves-sync = Sync to a central server
passport-fact-leaves-sync_data = Which data
passport-fact-leaves-last_sent = Last sent
passport-fact-leaves-mail = Alarm e-mail
passport-fact-leaves-nothing_else = Nothing else
passport-fact-ownership-owner = Owner
passport-fact-ownership-formats = Full export
passport-fact-ownership-last_export = Last full export
passport-fact-ownership-deletion = Deletion on request

## The facts.

passport-text = { $text }
passport-count = { $n }
passport-size = { $size }
passport-list_sep = ,{" "}
passport-never = never
passport-utc = { $time } UTC
passport-bytes = { $n ->
         [one] { $n } byte
        *[other] { $n } bytes
    }
passport-span_s = { $n } s
passport-span_min = { $n } min
passport-span_h = { $n } h
passport-span_days = { $n ->
         [one] { $n } day
        *[other] { $n } days
    }
passport-not_configured = not configured
passport-none = none
passport-none_yet = none yet
passport-off = off
passport-off_not_configured = off (not configured)
passport-list = { $items }
passport-role_operator = Operator
passport-role_supervisor = Supervisor
passport-role_maintenance = Maintenance
passport-role_quality = Quality
passport-role_stores = Stores
passport-role_management = Management
passport-role_admin = Admin
passport-device_item = { $name } ({ $key }): { $tags ->
         [one] { $tags } tag
        *[other] { $tags } tags
    }, polled every { $ms } ms
passport-tag_item = { $device }/{ $tag }: { $unit }, every { $ms } ms, stored { $policy }
passport-no_unit = no unit
passport-record_every_poll = every poll
passport-record_on_change = on change
passport-record_deadband = deadband
passport-record_swinging_door = swinging door
passport-poll_rate = { $n ->
         [one] { $n } tag
        *[other] { $n } tags
    } every { $ms } ms
passport-recording_item = { $n ->
         [one] { $n } tag
        *[other] { $n } tags
    } { $policy }
passport-free_of = { $free } of { $total }
passport-not_measured = not measured yet
passport-growth = { $size } per day (from the samples stored over the last { $covered }; measured over at most { $days } days, at least an hour)
passport-growth_none = no samples stored in the last { $days } days
passport-days = { $n ->
         [one] { $n } day
        *[other] { $n } days
    }
passport-not_measurable = not measurable yet
passport-memory_only = the latest value of each tag and the live stream (every reading is shown live; what is stored follows each tag's recording policy)
passport-role_count = { $n } { $role }
passport-user_item = { $role }: { $name } ({ $username }): last login { $last }, { $mfa ->
         [on] MFA on
         [required] MFA required, not set up
        *[other] no MFA
    }{ $disabled ->
         [yes] , disabled
        *[other] {""}
    }
passport-vendor_item = { $name } ({ $username }): last login { $last }, { $mfa ->
         [on] MFA on
         [required] MFA required, not set up
        *[other] no MFA
    }{ $disabled ->
         [yes] , disabled
        *[other] {""}
    }; vendor { $company }, expires { $expires }
passport-displays = { $n } active
passport-display_item = { $name }: last used { $last }
passport-lan_on = on, listening on { $listen }
passport-lan_off = off (this PC only, { $listen })
passport-permissions = each role's permissions, as enforced by the server
passport-tls_off = not in use: LAN access is off (this PC only)
passport-tls_on = HTTPS on the LAN, { $kind ->
         [self_signed] self-signed
        *[other] uploaded
    } certificate valid until { $until }, SHA-256 { $fingerprint }
passport-tls_no_cert = LAN access on, no certificate yet
passport-password = at least { $min } characters, not among { $common } common passwords
passport-lockout = after { $name } failed logins for a name or { $address } from one address within { $minutes } minutes
passport-vendor_accounts = vendor accounts
passport-session_timeouts = ends after { $idle } without activity, and { $max } after login
passport-audit_intact = intact: { $records } records, head { $head }
passport-audit_broken = BROKEN at record { $id }: { $reason }
passport-encryption_off = not configured: backups are plain copies; protect the target folder
passport-encryption_key_away = on (age, to { $recipient }); the key is NOT on this PC: enter the recovery key to verify, restore or drill
passport-encryption_key_in_memory = on (age, to { $recipient }); the key is kept in memory only until Plantlog stops ({ $why })
passport-encryption_key_in_keyring = on (age, to { $recipient }); the key is in the OS keyring
passport-keeps_working = everything: collection, storage, the pages, alarms, reports, backups to local targets run on this PC and need no internet
passport-sync_no_raw = raw samples are not sent; { $streams }
passport-stream_item = { $stream }: { $rows } rows sent{ $waiting ->
         [yes] , a batch waiting
        *[other] {""}
    }
passport-sync_backlog = { $n } samples waiting ({ $size }), acknowledged up to { $acked }
passport-sync_backlog_behind = { $n } samples waiting ({ $size }), acknowledged up to { $acked }, { $behind } behind
passport-mail_queue = { $waiting } waiting, { $failed } failed
passport-mail_queue_oldest = { $waiting } waiting, the oldest { $oldest } behind, { $failed } failed
passport-kept_by_hand = kept until removed by hand
passport-archive_on = on, to { $dir }
passport-purges_none = nothing removed yet
passport-purges = { $n ->
         [one] { $n } purge
        *[other] { $n } purges
    }, the last { $last }
passport-purge_item = { $ts }: { $class ->
         [raw] raw samples
         [minute] minute rollups
         [hour] hour rollups
         [audit] audit log
        *[other] { $class }
    } before { $before }, { $rows } rows ({ $samples } samples) by the retention job
passport-purge_item_archived = { $ts }: { $class ->
         [raw] raw samples
         [minute] minute rollups
         [hour] hour rollups
         [audit] audit log
        *[other] { $class }
    } before { $before }, { $rows } rows ({ $samples } samples) by the retention job, archived to { $archive }
passport-target_item = { $name }: { $path } ({ $schedule }{ $enabled ->
         [no] , off
        *[other] {""}
    }){ $overdue ->
         [yes] , OVERDUE
        *[other] {""}
    }
passport-last_good = { $time } on { $target }, { $name } ({ $size })
passport-drill = { $time }: { $passed ->
         [yes] passed
        *[other] FAILED
    } ({ $backup } on { $target }){ $overdue ->
         [yes] , overdue
        *[other] {""}
    }
passport-sync_on = on, to { $url } as site { $site } ({ $state ->
         [off] off
         [connected] connected
         [behind] catching up
         [offline] offline
         [parked] a batch refused, waiting for the admin
        *[other] { $state }
    })
passport-sync_data = { $classes }, oldest first
passport-sync_data_lost = { $classes }, oldest first. Lost before they were sent (removed by retention while sync was behind): { $lost }
passport-sync_no_class = none (no data class chosen)
passport-sync_class_raw = raw samples (every tag reading)
passport-sync_class_rollups = minute and hour rollups
passport-sync_class_production = production entries (stop reasons, planned stops, scrap and ideal cycles)
passport-sync_class_audit = the audit log
passport-sync_class_config = configuration versions
passport-lost_raw = { $n } raw samples of { $tags ->
         [one] { $tags } tag
        *[other] { $tags } tags
    }
passport-lost_rollups = { $n ->
         [one] { $n } tag-hour
        *[other] { $n } tag-hours
    } of rollups of { $tags ->
         [one] { $tags } tag
        *[other] { $tags } tags
    }
passport-lost_audit = { $n } audit entries
passport-last_sent = { $time } ({ $n } samples, { $size })
passport-mail_on = to the SMTP server { $host }:{ $port }
passport-nothing_else = Plantlog makes no network connection other than to the configured devices, the configured SMTP server and the configured central server.
passport-owner = the plant: everything is in its own database file on this PC, in open formats on request
passport-formats = every table as CSV; every sample and rollup as Parquet and CSV; the configuration as TOML; schema.md and schema.json; SHA256SUMS. Loads in Excel, pandas or DuckDB without Plantlog; resumable
passport-last_export = { $time } by { $who } to { $to } ({ $what })
passport-deletion = a person's name (replaced by a pseudonym everywhere; their actions stay), a tag's history; planned, confirmed, audited, then the database compacted
passport-doc-title = Data passport: { $plant }
passport-doc-read_at = Read from the running Plantlog at { $time }. Every fact below is its live state at that moment.
passport-doc-fact = Fact
passport-doc-now = Now
passport-doc-changed_at = Changed at
passport-doc-line = { $label }: { $value }
passport-doc-line_changed = { $label }: { $value } (changed at { $change })
passport-doc-pdf_title = Data passport
passport-doc-pdf_plant = { $plant }: every fact is the running Plantlog's live state at this moment
