# The command line: what a plant person reads (benchmarks and developer commands stay
# English).

cli-error = error: { $message }
cli-file-written = { $file } ({ $bytes } bytes)

cli-users-none = No users yet: open the web UI to create the admin account.
cli-users-disabled = (disabled)
cli-users-no-such = there is no user "{ $name }"
cli-users-new-password = New password for { $name }: { $password }
cli-users-must-change = They must choose their own at the next login.
cli-users-mfa-removed = The second factor of { $name } is removed. Where their role requires one, they set it up again at the next login.

cli-run-running = Plantlog is running at { $url }
cli-run-data-folder = Data folder: { $folder }
cli-run-stopping = Stopping...
cli-run-no-admin = No admin account yet. Open the address above on this PC to create it; the setup page asks for this code:
cli-run-setup-code = Setup code: { $code }
cli-run-lan = The plant LAN reaches Plantlog over HTTPS at:
cli-run-certificate = Certificate: SHA-256 { $fingerprint }
cli-run-certificate-self-signed = Certificate (self-signed): SHA-256 { $fingerprint }

cli-config-valid = { $file } is a valid configuration: { $machines } machines, { $devices } devices, { $tags } tags
cli-config-imported = Imported { $file } as configuration version { $version } into { $folder }
cli-config-unchanged = { $file } is the running configuration already (version { $version }); nothing changed
cli-config-none = { $folder } has no configuration yet; import one with: plantlog config import FILE.toml
cli-config-wrote = Wrote configuration version { $version } to { $file }

cli-backup-done = Backed up { $folder } into { $backup }: { $size }, { $files } files, verified (integrity ok, { $tables } tables and the newest sample of { $tags } tags as at the backup's moment), took { $seconds } s (the copy { $copy } s).
cli-backup-incremental = Incremental on { $parent }: { $stored } of { $pages } pages changed and stored.
cli-backup-verifies = The backup { $backup } verifies: { $files } files with their SHA-256, integrity ok, { $tables } tables and the newest sample of { $tags } tags as recorded ({ $size } of { $name }), took { $seconds } s.
cli-backup-not-verified = the backup { $backup } does not verify: { $problems }
cli-backup-restored = Restored the backup of { $name } into { $folder }.
cli-backup-kept-aside = The data that was there is kept in { $aside } (nothing was deleted).
cli-backup-was-empty = The data folder was empty.
cli-backup-none = No backups in { $folder }.
cli-backup-no-target = no backup target is set up for { $folder }: add one on the Backups page, or give a folder with --to
cli-backup-skipped = { $target }: { $why }; skipped.
cli-backup-target-done = { $target }: backed up into { $backup } ({ $size }), verified, took { $seconds } s.
cli-backup-target-failed = { $target }: FAILED: { $error }
cli-backup-failed-count = { $count } backup target(s) failed
cli-backup-drill-failed = the restore drill of { $backup } FAILED after { $seconds } s: { $detail }
cli-backup-drill-passed = The restore drill of { $backup } ({ $target }) passed, took { $seconds } s: { $detail }.

cli-sync-on = Sync is on: site { $site } to { $url }, sending { $streams }. The token is kept { $kept }.
cli-sync-off = Sync is off.
cli-sync-unlimited = Sync sends without a bandwidth limit.
cli-sync-limit = Sync sends at most { $bytes } bytes per second on average.

cli-service-installed = Installed the Plantlog service: data folder { $folder }, web UI http://{ $addr }/
cli-service-started = Started. It starts by itself at every boot.
cli-service-removed = Removed the Plantlog service. Its data folder is kept.
cli-service-stopped = Stopped the Plantlog service; nothing is collected until it starts again.

cli-export-no-drive = No removable drive is mounted.
cli-export-no-label = (no label)
cli-export-drive-free = { $free } GiB free of { $size } GiB
cli-export-nothing = choose something to export: --reports, --tags, --config or --audit
cli-export-done = { $files } files, { $bytes } bytes, every checksum read back and verified. Safe to remove.
cli-export-cancelling = cancelling; Ctrl+C again to stop at once

cli-forget-user-plan = { $user } ({ $name }) becomes { $pseudonym }: sign-in secrets, { $sessions } sessions and the e-mail address removed; { $audit } audit records name or were done by them.
cli-forget-rows-name-them = { $table }: { $rows } rows name them
cli-forget-to-do-it = To do it: { $command }
cli-forget-confirm-unchanged = --confirm must be { $phrase } exactly; nothing was changed
cli-forget-confirm-removed = --confirm must be { $phrase } exactly; nothing was removed
cli-forget-user-done = Done: { $rows } rows changed, { $audit } audit records rewritten as { $pseudonym } and re-linked (chain head { $head }); the database went from { $before } to { $after } bytes.
cli-forget-tag-plan = { $name } (tag { $id }): { $samples } samples and { $rollups } rollup rows would be removed.
cli-forget-tag-done = Done: { $rows } rows removed, audited, the database compacted.
cli-forget-rows-removed = { $table }: { $rows } rows removed
cli-forget-rows-unlinked = { $table }: { $rows } rows unlinked, kept
cli-forget-archived = archived first to { $file }
cli-forget-history-done = Done: { $samples } samples removed, audited; the database went from { $before } to { $after } bytes.

cli-takeout-done = { $files } files, { $bytes } bytes, { $samples } samples up to { $until }{ $resumed }; every file read back against SHA256SUMS ({ $sums }).
cli-takeout-resumed = , { $resumed } of { $parts } parts kept from the interrupted run
cli-takeout-schema = What is in it: schema.md
cli-takeout-stopping = stopping after this step; run the same command again to continue

cli-wrote = Wrote { $file }

cli-audit-broken = the audit log's chain is broken at record { $id }: { $reason }. Records before it are intact ({ $checked } checked).
cli-audit-intact = The audit log is intact: { $records } records ({ $first } to { $last }), each following from the one before.
cli-audit-head = Head hash: { $head }
cli-audit-empty = The audit log is empty.

cli-support-wrote = Wrote { $file } ({ $bytes } bytes, { $files } files) from { $folder }
cli-support-no-problems = No warnings or errors in the logs of { $folder }.

cli-import-samples = Imported { $samples } samples of { $tags } tags ({ $from } to { $to }) from { $file } into { $folder }
cli-import-events = Imported from { $file }: { $reasons } reasons, { $stops } reasons of stops, { $planned } planned stops, { $scrap } scrap entries, { $cycles } ideal cycle times

cli-quality-no-config = { $folder } has no configuration yet; products refer to its machines: import one first with plantlog config import FILE.toml
cli-quality-imported = Imported { $file } into { $folder }: products { $products_added } added, { $products_changed } changed; characteristics { $characteristics_added } added, { $characteristics_retired } retired (their checks keep them); materials { $materials_added } added, { $materials_changed } changed

cli-trace-not-found = there is no production lot, supplier lot or material lot "{ $lot }" in { $folder }
cli-trace-material-lot = Material lot { $code }: { $quantity } { $unit } { $material } from { $supplier } (supplier lot { $supplier_lot }), received { $received }, { $on_hand } on hand
cli-trace-used-in = Used in { $count } production lots:
cli-trace-lot = { $code }  { $product } on { $machine }  { $from } to { $to }
cli-trace-running = running

cli-modbus-not-a-port = "{ $port }" is not a port number
cli-modbus-parity = parity "{ $parity }" is not none, even or odd
cli-modbus-where = say where to read: exactly one of --tcp HOST[:PORT], --rtu-tcp HOST:PORT, --serial PORT
cli-modbus-not-a-type = "{ $given }" is not a type: bool, bit, u16, i16, u32, i32, u64, i64, f32, f64, string
cli-modbus-not-an-order = "{ $given }" is not an order: ABCD, CDAB, BADC, DCBA
cli-modbus-request = { $request } on { $link }
cli-modbus-not-a-number = not a number
cli-modbus-unit = unit { $unit }
cli-modbus-scanned = Scanned { $line }: { $asked }
cli-modbus-no-unit = No unit answered. Check wiring, baud rate and parity.
cli-modbus-answers = unit { $unit }: answers, { $ms } ms
cli-modbus-answers-exception = unit { $unit }: answers (exception { $code } for this register), { $ms } ms
cli-modbus-no-ports = No serial ports found. Plug in the RS-485 adapter and try again.

cli-demo-generating = Generating { $days } days of demo plant history (a new data folder only)...
cli-demo-history-days = --history-days { $days }: give 0.01 to 3660 days
cli-demo-ready = Ready after { $seconds } s.
cli-demo-running = Plantlog demo plant is running at { $url }
cli-demo-users = Demo users (new passwords at every start):
cli-demo-role = role
cli-demo-username = username
cli-demo-password = password
cli-demo-stop = Stop with Ctrl+C.

cli-forget-machine-plan = { $key } ({ $name }): { $samples } samples of { $tags } tags and these rows would be removed (the database is { $bytes } bytes):
cli-forget-rows = { $table }: { $rows } rows
cli-forget-rows-would-unlink = { $table }: { $rows } rows unlinked from the machine and its lots (kept: stock on hand stays right)
cli-forget-class = --class is one of raw, minute, hour, audit
cli-forget-date = the date is written as 2026-01-31 (from 00:00 UTC) or 2026-01-31T12:00:00Z
cli-forget-future = { $date } is in the future; choose a date up to today
cli-forget-before-plan = { $class } before { $date }: { $rows } { $table } rows ({ $samples } samples) would be removed (the database is { $bytes } bytes).

cli-reset-plan = A factory reset removes everything in { $folder } ({ $entries } entries, { $bytes } bytes): the database with all samples, users, the audit log and settings.
cli-reset-export-first = Take everything out first with --export-to DIR (a full export, verified, before anything is removed).
cli-reset-confirm = --confirm must be { $phrase }; nothing was removed
cli-reset-stop-first = stop Plantlog (the service or the window) first
cli-reset-export-failed = the final export did not finish; nothing was removed
cli-reset-exported = Final export: { $folder } ({ $files } files, verified)
cli-reset-done = { $folder } is empty: Plantlog starts there as on a new PC.

cli-backup-waiting-for-stick = waiting for the stick labelled "{ $label }": it is not plugged in
cli-backup-good = good
cli-backup-state-failed = FAILED: { $why }
cli-backup-incomplete = incomplete: { $why }
cli-backup-full = full
cli-backup-incremental-on = incremental on { $parent }
cli-backup-encrypted = { $kind }, encrypted

## Refusals and errors of the command itself.

cli-no-runtime = cannot start the async runtime
cli-cannot-read = cannot read { $file }
cli-cannot-write = cannot write { $file }
cli-cannot-create-folder = cannot create the data folder { $folder }
cli-cannot-open-folder = cannot open the data folder { $folder }
cli-cannot-remove = cannot remove { $file }
cli-cannot-read-key = cannot read the recovery key file { $file }
cli-config-changed-since = Changed since version { $base }:
cli-bad-time = { $flag }: "{ $given }" is not a day or a time; write a day (2026-03-02), a time in RFC 3339 with an offset ("2026-03-02T06:14:03+01:00" or "...Z") or UTC milliseconds
cli-bad-delimiter = --delimiter must be one ASCII character, such as , or ;
cli-export-no-report = --reports: no report "{ $given }"; shift, production, energy or tag
cli-export-no-format = --reports: no format "{ $given }"; pdf, xlsx or csv
cli-export-file = { $name }  { $size } bytes  { $sha }
cli-service-ended = the Plantlog service stopped
cli-log-warning = warning: { $error }; logging to the console only
cli-service-status-none = The Plantlog service is not installed. Install it with: plantlog service install
cli-service-status = Plantlog service: { $state }
cli-service-status-pid = Process: { $pid }
cli-service-status-folder = Data folder: { $folder }
cli-service-status-url = Serving: { $url }
