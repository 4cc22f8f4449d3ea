# The errors of the core as the command line says them, by code and params, made
# from the UI's catalogues ui/src/i18n/errors/en.json (shared codes; "config": a
# configuration's mistakes, "place": where they are) and the "errors" of every other
# area of ui/src/i18n by ui/src/lib/errorsftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/errorswords

errors-bad_credentials = Wrong username or password
errors-mfa_required = Enter the code from your authenticator app (or a recovery code).
errors-bad_code = The code is wrong or was already used. Type the current code from the app.
errors-too_many_attempts = Too many failed logins. Wait 15 minutes, log in with your authenticator code, or ask the admin.
errors-busy = Plantlog is busy checking other logins. Try again in a few seconds.
errors-setup_code_required = Give the setup code that Plantlog printed where it was started.
errors-setup_local_only = The admin account is created on the PC Plantlog runs on, not over the network.
errors-mfa_enrolment_required = Set up your authenticator app first.
errors-same_password = Choose a password different from the one you were given.
errors-line_busy = Another test read or scan is running on this line. Wait until it is done.
errors-too_large = That is more than this page can send at once.
errors-cross_origin = The request did not come from Plantlog’s own page. Reload the page.
errors-unknown_host = Plantlog does not answer to this address. Open it by its IP address or PC name.
errors-unauthorized = Please log in.
errors-session_expired = Your session has ended. Please log in again.
errors-forbidden = Your role does not allow this.
errors-password_change_required = You must choose a new password first.
errors-weak_password = { $reason ->
         [too_short] The password is too short: use at least { $chars } characters (a few words make a good one).
         [too_long] The password is too long: use at most { $chars } characters.
         [username] The password must not contain the username.
         [repeated] The password must not be one character repeated.
         [run] The password must not be a run of characters like abcdefghijkl.
         [common] This password is on a list of common or breached passwords; choose another.
         [common_core] This password is the common password “{ $word }” with a few characters added; choose another.
         [place] The password must not be “{ $word }”: it is the first guess for this place.
        *[other] The password is too weak: use at least 12 characters, not a common one.
    }
errors-invalid_display_name = Enter the name of the person.
errors-invalid_username = That username is not allowed: use letters, digits, dots, dashes or underscores.
errors-username_taken = That username is already taken. Choose another one.
errors-last_admin = This would leave no enabled admin account. Make another user admin first.
errors-setup_done = The admin account already exists. Please log in.
errors-not_found = { $what ->
         [machine] There is no such machine.
         [device] There is no such device.
         [tag] There is no such tag.
         [user] There is no such user.
         [session] That session has already ended.
        *[other] Not found.
    }
errors-internal = Plantlog could not do this because of an internal error. The log of the Plantlog PC has the details under reference { $reference }.
errors-invalid_config = { $count ->
         [one] The configuration has { $count } mistake; fix it and save again.
        *[other] The configuration has { $count } mistakes; fix them and save again.
    }
errors-unknown_language = Plantlog has no language “{ $language }”.
errors-unknown_theme = Plantlog has no theme “{ $theme }”.
errors-stopped = The request was cancelled, or Plantlog is stopping. Try again in a moment.
errors-network = Plantlog cannot be reached. Check the connection and try again.
errors-bad_response = Plantlog sent an answer this page does not understand.
errors-failed = Request failed ({ $status }).
errors-cli_internal = Plantlog could not do this: { $detail }
errors-db_open = cannot open the database { $path }: { $detail }; check that the folder exists and is writable
errors-db_migrate = the database { $path } could not be brought to this version of Plantlog: { $detail }
errors-db_too_new = the database { $path } was written by a newer Plantlog (database schema { $found }; this Plantlog { $version } knows up to { $known }). It is not opened, so nothing in it is changed: install that newer Plantlog again, or restore a backup made by this version
errors-folder_in_use = another Plantlog process is already collecting into { $dir }: { $holder }. Stop it first, or give this one another --data-dir
errors-lock_file = cannot create the lock file { $path }: { $detail }
errors-bad_range = The start must be before the end, and not in the future.
errors-tags_needed = Choose at least one tag.
errors-unknown_tag = There is no tag “{ $tag }”; give tag ids or device/tag names.
errors-range_too_long = Hourly figures cover at most 62 days; choose by day for a longer range.
errors-export_cancelled = The export was cancelled before anything was written to the drive.
errors-service_not_installed = the Plantlog service is not installed; install it with: plantlog service install
errors-service_not_admin = this needs an administrator: { $os ->
         [windows] open the console with “Run as administrator” and try again
        *[other] run it with sudo
    }
errors-takeout_not_empty = { $folder } holds other files; choose an empty or new folder (or the folder of an unfinished export to continue it)
errors-takeout_mismatch = { $file } does not match the checksum it was written with: the drive may be failing; run the export again to rewrite it
errors-takeout_cancelled = the export was cancelled; what is finished is kept: run it again on the same folder to continue
errors-config-empty_site_name = the site name is empty; give the plant's name
errors-config-unknown_zone = "{ $zone }" is not a known time zone; use an IANA name such as "Europe/Berlin" or "America/Chicago"
errors-config-shift_no_name = the shift has no name; give it one such as "Early"
errors-config-shift_same_name = another shift has the same name; shift names must differ
errors-config-not_time = "{ $value }" is not a time; write it as "HH:MM", e.g. "{ $example }"
errors-config-shift_no_length = the shift starts when it ends; a shift needs a length
errors-config-day_twice = { $day } is listed twice; name each day once
errors-config-date_twice = { $date } is listed twice
errors-config-not_date = "{ $value }" is not a date; write it as "YYYY-MM-DD", e.g. "2026-12-25"
errors-config-same_key = another { $what ->
         [machine] machine
         [serial_line] serial line
         [device] device
        *[other] item
    } has the same key; keys must differ
errors-config-empty_machine_name = the machine name is empty; give the name people use for it
errors-config-micro_stop_range = the micro-stop threshold must be 1 to 86400 seconds (default 120)
errors-config-running_counted_range = the time must be 1 to 86400 seconds: how long after a counted part the machine still counts as running
errors-config-max_rate_range = the maximum rate must be a number of parts a minute above 0: a counter step faster than it is held for review
errors-config-empty_line = the line name is empty; name the line or leave line out
errors-config-state_twice = the value { $value } is mapped twice; each state value maps to one state
errors-config-empty_port = the port is empty; give the serial port, e.g. "COM3" on Windows or "/dev/ttyUSB0" on Linux
errors-config-port_used = port { $port } is used by serial line "{ $other }" already; one port is one line, put the devices on that line
errors-config-bad_baud = { $baud } baud is not a serial speed; use the device's, e.g. 9600 or 19200
errors-config-bad_data_bits = data bits must be 7 or 8 (Modbus RTU uses 8)
errors-config-bad_stop_bits = stop bits must be 1 or 2
errors-config-bad_frame_gap = the frame gap must be 0 to 1000 ms; leave it out to use 3.5 characters
errors-config-port_zero = port 0 is not a port; Modbus TCP devices usually listen on 502
errors-config-max_registers_range = the largest request must be 1 to 125 registers
errors-config-max_bits_range = the largest request must be 1 to 2000 coils or inputs
errors-config-tag_no_name = the tag has no name; give it one such as "temperature"
errors-config-tag_same_name = another tag of this device has the same name; tag names must differ within a device
errors-config-bad_scale = the scale must be a number other than 0; use 1 for none
errors-config-bad_offset = the offset must be a finite number; use 0 for none
errors-config-role_needs_machine = a tag with a role must have a machine; set machine on the tag or its device
errors-config-counter_not_integer = a part counter must be an integer type (u16, u32, u64, i16, i32, i64)
errors-config-state_not_number = a machine state must be a number that the machine's states map
errors-config-state_and_run = the machine has a state tag and a run bit; its state comes from one of them, remove the other's role
errors-config-deadband_needed = record = "deadband" needs deadband (a change in the tag's unit) or deadband_percent, above 0
errors-config-door_needs_deadband = record = "swinging_door" needs deadband: the door's width in the tag's unit, above 0
errors-config-text_no_deadband = a string tag is stored every poll or on change; a deadband needs numbers
errors-config-heartbeat_every_poll = every reading is stored already; a heartbeat applies with on_change, deadband or swinging_door
errors-config-bad_terminator = a line ends with "\n", "\r\n" or "\r"
errors-config-max_line_range = the longest line must be 8 to 65536 bytes
errors-config-pattern_needed = a serial-line device needs a pattern with named groups, e.g. '^ST,GS,(?P<weight>[+-]?[0-9.]+)kg$'
errors-config-pattern_no_group = the pattern has no named group; name the part holding a value, e.g. (?P<weight>...)
errors-config-field_needed = a serial-line tag needs field = "...": the named group of the device's pattern that holds its value
errors-config-field_not_modbus = field is for serial-line tags; a Modbus tag gives function and address, or register
errors-config-register_and_address = give either register (as in the manual, e.g. 40001) or address (0-based on the wire), not both
errors-config-function_needed = with address, say which table: function = "holding", "input", "coil" or "discrete" (or give register as in the manual instead)
errors-config-no_register = the tag has no register; give register as in the manual (e.g. 40001) or function and address
errors-config-bool_not_register = bool is for coils and discrete inputs; for one bit of a register use type = "bit" with bit = 0..15
errors-config-bit_needed = type bit needs bit = 0..15, the bit of the register (0 the least significant)
errors-config-bit_not_bit = bit is for type = "bit"; remove it or change the type
errors-config-length_needed = type string needs length: the number of registers (two characters each)
errors-config-length_zero = a string needs at least one register
errors-config-text_no_scale = a string tag is text: it takes no scale, offset or role
errors-config-length_not_string = length is for type = "string"; remove it or change the type
errors-config-alarm_same_key = another alarm has the same key; alarm keys must differ
errors-config-escalate_roles = name the roles to escalate to, in order
errors-config-after_min_range = after_min must be 1 to 10080 minutes (a week)
errors-config-alarm_no_name = the alarm has no name; give it one people recognise, such as "Oil temperature high"
errors-config-escalate_after_range = must be 1 to 10080 minutes (a week)
errors-config-escalate_to_needed = escalate_after_min needs escalate_to: the roles to notify, in order
errors-config-escalate_after_needed = escalate_to needs escalate_after_min: the minutes between steps
errors-config-action_needed = say what to do when the alarm comes, e.g. "Check the oil cooler's fan; stop the press above 90 °C"
errors-config-time_at_least_one = the time must be at least 1
errors-config-value_twice = the value is listed twice
errors-config-value_no_text = the value has no text; say what it means, such as "Emergency stop"
errors-config-bit_twice = the bit is listed twice
errors-config-bit_no_text = the bit has no text; say what it means, such as "Motor overload"
errors-config-needs_host = a { $protocol } device needs the host: its IP address or name
errors-config-network_no_bus = a { $protocol } device is reached over the network, not a serial line; remove bus, or use protocol = "modbus-rtu"
errors-config-needs_bus = a { $protocol } device needs the serial line it is on: bus = "...", a key of [[buses]]
errors-config-no_bus = there is no serial line "{ $b }"; add it under [[buses]] or correct the key
errors-config-bus_used = serial line "{ $b }" is used by device "{ $other }" already; a serial line device needs a line of its own
errors-config-serial_no_net = a { $protocol } device is on a serial line; remove { $f }
errors-config-rtu_unit_range = unit id { $unit } cannot be addressed on a serial line; use 1 to 247
errors-config-unit_shared = device "{ $other }" already reads { $endpoint } unit { $unit }; two devices cannot share a unit id on one line or address
errors-config-serial_only = { $f } is for serial-line devices; a Modbus device has none
errors-config-role_every_change = a { $role } tag must keep every change (record = "on_change" or "every_poll"): production figures are computed from each change
errors-config-role_twice = machine "{ $machine }" already has its { $role } tag at { $at }; a machine has one
errors-config-bad_break = "{ $start }"–"{ $end }" is not a time span; write start and end as "HH:MM"
errors-config-break_outside = the break { $start }–{ $end } is not inside the shift { $shift_start }–{ $shift_end }; a break starts and ends within its shift
errors-config-break_overlap = the break overlaps break #{ $other }; breaks must not overlap
errors-config-shift_overlap = the shift overlaps shift "{ $other }" ({ $start }–{ $end }); shifts of one day must not overlap
errors-config-deadband_unused = { $f } applies with record = "deadband" or "swinging_door"; remove it or change record
errors-config-heartbeat_range = the heartbeat must be from the poll interval ({ $poll_s } s) up to 86400 s
errors-config-no_machine = there is no machine "{ $m }"; add it under [[machines]] or correct the key
errors-config-bad_pattern = the pattern is not a valid regular expression: { $e }
errors-config-no_group = the pattern has no group named "{ $f }"; its groups are: { $groups }
errors-config-modbus_only = { $f } is for Modbus tags; a serial-line tag takes its value from field
errors-config-register_function = register { $r } is a { $kind }, but function says { $function }; leave function out or correct it
errors-config-bad_register = { $r } is not a register number; manuals write 00001-09999 (coils), 10001-19999 (discrete inputs), 30001-39999 (input registers), 40001-49999 (holding registers), or 6 digits such as 400001
errors-config-bits_are_bool = a { $kind } holds one bit; its type is bool
errors-config-bit_range = bit { $b } does not exist; a register has bits 0 to 15
errors-config-too_wide = the value spans { $width } registers, more than the device's largest request ({ $limit })
errors-config-bad_key = "{ $key }" is not a usable key; use 1 to 64 lowercase letters, digits, '-' or '_', e.g. "press-1"
errors-config-counted_not_needed = the machine's state comes from its state tag or run bit already; remove running_when_counted_s
errors-config-counted_needs_counter = running_when_counted_s needs the machine's part counter: give one of its tags role = "count"
errors-config-shift_past_day = the shift ends after the next production day begins ({ $day_start }, the earliest shift start); shorten it
errors-config-ms_range = { $what ->
         [timeout] the timeout
         [poll] the poll interval
        *[other] the time
    } { $v } ms is outside { $lo } to { $hi } ms
errors-config-past_last_address = a { $dtype } at { $address } runs past the last address 65535; check the address
errors-config-no_role = there is no role "{ $r }"; roles are: { $roles }
errors-config-escalation_twice = another escalation is for { $priority } alarms; give each priority one
errors-config-no_roles = no role receives this alarm; give at least one of: { $roles }
errors-config-bad_delay = { $v } is not a delay from 0 to 86400 seconds
errors-config-no_tag = there is no tag "{ $t }"; write it as "device/tag" with a configured device key and tag name
errors-config-text_tag_alarm = "{ $t }" is a text tag; alarms watch numbers
errors-config-no_device = there is no device "{ $d }"
errors-config-no_machine_alarm = there is no machine "{ $m }"
errors-config-machine_no_state = machine "{ $m }" has no state: give one of its tags role = "state" or "run"
errors-config-machine_no_counter = machine "{ $m }" has no part counter: give one of its tags role = "count"
errors-config-bad_deadband = { $d } is not a deadband of 0 or more
errors-config-bad_interval = { $m } is not a demand interval of 1 to 60 minutes (15 is usual)
errors-config-bit_past_last = bit { $bit } is past the last bit ({ $max_bit })
errors-config-digest_not_time = "{ $value }" is not a time; write it as HH:MM, e.g. "07:00"
errors-config-shelve_max_zero = the longest shelving time must be at least 1 minute
errors-config-alarm_unused_field = { $article ->
         [an] an
        *[other] a
    } "{ $kind }" alarm does not use { $f }; remove it (it uses { $uses })
errors-config-alarm_needs_field = { $article ->
         [an] an
        *[other] a
    } "{ $kind }" alarm needs { $f }; add it
errors-config-bad_limit = { $what ->
         [rate] { $l } is not a rate above 0 (units per minute)
         [demand] { $l } is not a demand above 0 (kW)
        *[other] { $l } is not a number
    }
errors-config-not_toml = this is not valid TOML: { $detail }
errors-config-no_site = the [site] section is missing; add it with name = "..." and timezone = "Area/City"
errors-config-not_list = expected a list of [[{ $key }]] tables, found { $found }
errors-config-not_table = expected a table, found { $found }
errors-config-no_template = there is no template "{ $key }"; known templates are: { $known }
errors-config-required = "{ $field }" is required; add it
errors-config-unknown_value = unknown value "{ $value }"; use one of { $allowed }
errors-config-not_in_range = { $value } is not { $ty ->
         [u8] a whole number from 0 to 255
         [u16] a whole number from 0 to 65535
         [u32] a whole number from 0 to 4294967295
         [u64] a whole number of 0 or more
        *[other] a number
    }
errors-config-unknown_key = unknown key "{ $key }"{ $hint ->
         [near] ; did you mean "{ $near }"?
        *[other] ; known keys are: { $known }
    }
errors-config-rejected = the configuration was not imported; { $count ->
         [one] { $count } mistake
        *[other] { $count } mistakes
    } to fix:
errors-config-file_rejected = the file was not imported; { $count ->
         [one] { $count } mistake
        *[other] { $count } mistakes
    } to fix:
errors-config-line = { $place }: { $message }
errors-config-master_rejected = the products, plans and materials were not imported; { $count ->
         [one] { $count } mistake
        *[other] { $count } mistakes
    } to fix:
errors-config-product_same_code = another product has this code; codes must differ (upper and lower case count as the same)
errors-config-product_no_name = the name is empty; give the product a name
errors-config-product_two_plans = this product has another plan; put all its characteristics in one
errors-config-plan_empty = the plan checks nothing; add [[plans.characteristics]]
errors-config-characteristic_same_name = the plan has another characteristic of this name; names must differ
errors-config-material_same_code = another material has this code; codes must differ
errors-config-material_no_name = the name is empty; give the material a name
errors-config-material_no_unit = the unit is empty; say what quantities are counted in (kg, m, pieces)
errors-config-characteristic_no_name = the name is empty; name what is checked
errors-config-measured_no_limit = a measured characteristic needs a lower or an upper limit (or both)
errors-config-measured_no_unit = a measured characteristic needs its unit (mm, bar, g)
errors-place-alarm_settings = alarm settings
errors-place-serial_line = serial line
errors-place-site = site
errors-place-shift = shift
errors-place-machine = machine
errors-place-device = device
errors-place-tag = tag
errors-place-state = state
errors-place-holiday = holiday
errors-place-alarm = alarm
errors-place-bit = bit
errors-place-item = item
errors-place-field = field
errors-place-line = line
errors-place-column = column
errors-place-file = file
errors-place-row = row
errors-place-product = product
errors-place-material = material
errors-place-break = break
errors-place-escalation = escalation
errors-place-value = value
errors-place-plan = plan
errors-place-characteristic = characteristic
errors-place-named = { $kind } "{ $name }"
errors-place-index = { $kind } #{ $n }
errors-place-number = { $kind } { $n }
errors-place-sep = ,{" "}

## account

errors-mfa_required_for_role = Your role requires a second factor; it cannot be switched off.

## configuration

errors-config_conflict = The configuration was changed since you loaded it. Load it again and make your change on the new version.

## quality

errors-bad_product = There is no product “{ $product }”; quality adds products with their plans.
errors-lot_exists = { $what ->
         [material_lot] Material lot “{ $lot }” was received already; each label is received once.
        *[other] Lot “{ $lot }” exists already; give each lot its own number.
    }
errors-lot_running = Lot “{ $lot }” is running on { $machine }; end it before starting another.
errors-lot_ended = { $action ->
         [check] Lot “{ $lot }” has ended; checks are entered on running lots (a correction of an earlier check is allowed).
        *[other] Lot “{ $lot }” has ended already.
    }
errors-bad_characteristic = This check is not in the current plan of the lot’s product; reload the page and enter it against the current plan.
errors-bad_correction = That check cannot be corrected: correct the newest check of the same lot and characteristic.
errors-bad_disposition = Choose rework, scrap or accept under deviation.
errors-in_spec = This check is in spec; only out-of-spec results get a disposition.
errors-no_gauge = This check is read from no gauge that Plantlog knows; type the value.
errors-gauge_timeout = No reading from the gauge “{ $gauge }” in { $seconds } s; press the gauge’s print button and try again, or type the value.
errors-bad_field = { $rule ->
         [length] Give the { $field ->
         [code] lot number
         [reason] reason
         [supplier] supplier
         [supplier_lot] supplier’s lot number
        *[other] { $field }
    }: 1 to { $max } characters (now { $given }).
         [too_long] { $field ->
         [comment] A comment
         [certificate] A certificate reference
        *[other] This field
    } holds at most { $max } characters (now { $given }).
         [range] Scrap is { $min } to { $max } parts; { $given } is not.
         [positive] Give a quantity more than 0.
         [deviation_comment] Accepting under deviation needs a comment: why the parts may be used.
         [issue_machine] Say which machine the material is issued to.
        *[other] { $detail }
    }
errors-bad_time = { $rule ->
         [start_future] A lot is started now or in the past, not in the future.
         [end] A lot ends after its start and not in the future.
         [received_future] Material is received now or in the past, not in the future.
        *[other] { $detail }
    }
errors-bad_value = { $rule ->
         [measured] “{ $name }” is measured: give the value in { $unit }.
         [measured_no_unit] “{ $name }” is measured: give the value in its unit.
         [not_number] The value of “{ $name }” is not a number.
         [measured_not_pass] “{ $name }” is measured: give a value, not pass or fail.
         [pass_fail] “{ $name }” is pass or fail: choose pass or fail.
        *[other] { $detail }
    }
errors-bad_kind = { $rule ->
         [move] “{ $given }” is no stock move: choose issue, return or scrap (receiving has its own form).
        *[other] { $detail }
    }
errors-bad_paper = Paper “{ $given }” is not known: choose A4 or Letter.

## stores

errors-bad_material = There is no material “{ $material }”; add it to the materials first.
errors-negative_stock = Material lot { $lot } has { $on_hand } { $unit } on hand; { $move ->
         [issue] issuing
        *[other] scrapping
    } { $quantity } { $unit } would leave { $left } — check the quantity or the label (the admin can allow negative stock on this page).

## sync

errors-bad_bandwidth = A bandwidth limit of { $bytes } bytes/s cannot be set: give 0 (no limit) or at least 1 kB/s.
