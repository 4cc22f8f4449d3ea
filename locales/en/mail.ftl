# E-mails: alarms, escalations and the daily digest, in the recipient's language.

mail-alarm-subject = [Plantlog { $priority }] { $name }
mail-alarm-subject-machine = [Plantlog { $priority }] { $name } ({ $machine })
mail-escalation-subject = Not acknowledged: { $subject }
mail-escalation-note = This alarm has not been acknowledged for { $minutes } minutes: it is escalated to { $role } (step { $step }).
mail-alarm-at = Alarm at { $site }: { $name }
mail-priority = Priority: { $priority }
mail-machine = Machine: { $machine }
mail-value = Value: { $value }
mail-raised = Raised: { $time }
mail-action = What to do: { $action }
mail-acknowledge = Acknowledge it in Plantlog, on the Alarms page.

mail-digest-head = Alarms for { $role } at { $site } on { $day }: { $count }
mail-digest-acked = acknowledged by { $by }
mail-digest-not-acked = not acknowledged
mail-digest-subject = [Plantlog] Alarms of { $day }: { $count } for { $role }

mail-test-subject = Plantlog test mail
mail-test-body = This is a test mail from Plantlog at { $site }: alarm mail reaches this address.

# Priorities and roles as the mails name them (English: as configured).
mail-priority-critical = critical
mail-priority-high = high
mail-priority-medium = medium
mail-priority-low = low
mail-role-operator = operator
mail-role-supervisor = supervisor
mail-role-maintenance = maintenance
mail-role-quality = quality
mail-role-stores = stores
mail-role-management = management
mail-role-admin = admin
