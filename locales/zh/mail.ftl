# 电子邮件：报警、升级和每日汇总，使用收件人的语言。

mail-alarm-subject = [Plantlog { $priority }] { $name }
mail-alarm-subject-machine = [Plantlog { $priority }] { $name }（{ $machine }）
mail-escalation-subject = 未确认：{ $subject }
mail-escalation-note = 此报警已 { $minutes } 分钟未确认：已升级至{ $role }（第 { $step } 级）。
mail-alarm-at = { $site } 报警：{ $name }
mail-priority = 优先级：{ $priority }
mail-machine = 设备：{ $machine }
mail-value = 数值：{ $value }
mail-raised = 触发时间：{ $time }
mail-action = 处理方法：{ $action }
mail-acknowledge = 请在 Plantlog 的“报警”页面确认。

mail-digest-head = { $site } { $role } { $day } 的报警：{ $count } 条
mail-digest-acked = 已由 { $by } 确认
mail-digest-not-acked = 未确认
mail-digest-subject = [Plantlog] { $day } 的报警：{ $role } { $count } 条

mail-test-subject = Plantlog 测试邮件
mail-test-body = 这是来自 { $site } 的 Plantlog 测试邮件：报警邮件可以送达此地址。

mail-priority-critical = 紧急
mail-priority-high = 高
mail-priority-medium = 中
mail-priority-low = 低
mail-role-operator = 操作员
mail-role-supervisor = 班组长
mail-role-maintenance = 维修
mail-role-quality = 质量
mail-role-stores = 仓库
mail-role-management = 管理层
mail-role-admin = 管理员
