# E-Mails: Alarme, Eskalationen und die tägliche Übersicht, in der Sprache des Empfängers.

mail-alarm-subject = [Plantlog { $priority }] { $name }
mail-alarm-subject-machine = [Plantlog { $priority }] { $name } ({ $machine })
mail-escalation-subject = Nicht quittiert: { $subject }
mail-escalation-note = Dieser Alarm ist seit { $minutes } Minuten nicht quittiert: er wird an die Rolle { $role } eskaliert (Stufe { $step }).
mail-alarm-at = Alarm bei { $site }: { $name }
mail-priority = Priorität: { $priority }
mail-machine = Maschine: { $machine }
mail-value = Wert: { $value }
mail-raised = Ausgelöst: { $time }
mail-action = Was zu tun ist: { $action }
mail-acknowledge = Quittieren Sie ihn in Plantlog auf der Seite Alarme.

mail-digest-head = Alarme für { $role } bei { $site } am { $day }: { $count }
mail-digest-acked = quittiert von { $by }
mail-digest-not-acked = nicht quittiert
mail-digest-subject = [Plantlog] Alarme vom { $day }: { $count } für { $role }

mail-test-subject = Plantlog-Testmail
mail-test-body = Dies ist eine Testmail von Plantlog bei { $site }: Alarm-Mails erreichen diese Adresse.

mail-priority-critical = kritisch
mail-priority-high = hoch
mail-priority-medium = mittel
mail-priority-low = niedrig
mail-role-operator = Bediener
mail-role-supervisor = Schichtleiter
mail-role-maintenance = Instandhaltung
mail-role-quality = Qualität
mail-role-stores = Lager
mail-role-management = Management
mail-role-admin = Administrator
