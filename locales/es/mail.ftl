# Correos: alarmas, escalados y el resumen diario, en el idioma del destinatario.

mail-alarm-subject = [Plantlog { $priority }] { $name }
mail-alarm-subject-machine = [Plantlog { $priority }] { $name } ({ $machine })
mail-escalation-subject = Sin reconocer: { $subject }
mail-escalation-note = Esta alarma lleva { $minutes } minutos sin reconocer: se escala al rol { $role } (nivel { $step }).
mail-alarm-at = Alarma en { $site }: { $name }
mail-priority = Prioridad: { $priority }
mail-machine = Máquina: { $machine }
mail-value = Valor: { $value }
mail-raised = Activada: { $time }
mail-action = Qué hacer: { $action }
mail-acknowledge = Reconózcala en Plantlog, en la página Alarmas.

mail-digest-head = Alarmas para { $role } en { $site } el { $day }: { $count }
mail-digest-acked = reconocida por { $by }
mail-digest-not-acked = sin reconocer
mail-digest-subject = [Plantlog] Alarmas del { $day }: { $count } para { $role }

mail-test-subject = Correo de prueba de Plantlog
mail-test-body = Este es un correo de prueba de Plantlog en { $site }: los correos de alarma llegan a esta dirección.

mail-priority-critical = crítica
mail-priority-high = alta
mail-priority-medium = media
mail-priority-low = baja
mail-role-operator = Operario
mail-role-supervisor = Supervisor
mail-role-maintenance = Mantenimiento
mail-role-quality = Calidad
mail-role-stores = Almacén
mail-role-management = Dirección
mail-role-admin = Administrador
