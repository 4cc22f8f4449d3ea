# The data passport (src/passport) as a document, made from the UI's catalogues
# ui/src/i18n/passfacts/zh.json (the facts' words; "doc": the document's frame) and
# ui/src/i18n/passport/zh.json (section titles and fact labels) by
# ui/src/lib/passportftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/passportwords

## Section titles and fact labels.

passport-section-collected = 采集哪些数据
passport-section-stored = 存储在哪里
passport-section-access = 谁可以访问
passport-section-protection = 如何保护
passport-section-outage = 互联网中断时
passport-section-retention = 保留多久
passport-section-backups = 备份
passport-section-leaves = 哪些数据离开工厂
passport-section-ownership = 数据归谁所有，以及如何导出
passport-fact-collected-devices = 设备
passport-fact-collected-tags = 标签
passport-fact-collected-poll_rates = 轮询周期
passport-fact-collected-recording = 记录策略
passport-fact-collected-stop_reasons = 人员填写的停机原因
passport-fact-collected-scrap = 报废记录
passport-fact-collected-counter_reviews = 计数器复核
passport-fact-collected-quality = 质量检验记录
passport-fact-collected-logins = 登录记录
passport-fact-collected-audit = 审计日志条目
passport-fact-stored-database = 数据库文件
passport-fact-stored-data_dir = 数据文件夹
passport-fact-stored-size = 大小（文件和预写日志）
passport-fact-stored-free = 所在磁盘的可用空间
passport-fact-stored-growth = 每日增长
passport-fact-stored-days_left = 按此速度剩余天数
passport-fact-stored-memory_only = 仅在内存中
passport-fact-access-users = 按角色列出的用户
passport-fact-access-vendors = 供应商账户
passport-fact-access-displays = 显示令牌（只读看板）
passport-fact-access-lan = 局域网访问
passport-fact-access-sessions = 打开的会话
passport-fact-access-permissions = 权限矩阵
passport-fact-protection-password = 密码规则
passport-fact-protection-lockout = 锁定
passport-fact-protection-mfa = 需要第二因素的角色
passport-fact-protection-sessions = 会话超时
passport-fact-protection-tls = TLS
passport-fact-protection-audit_chain = 审计日志完整性（刚刚验证）
passport-fact-protection-backup_encryption = 备份加密
passport-fact-outage-keeps_working = 仍然可用的功能
passport-fact-outage-sync_queue = 同步队列
passport-fact-outage-mail_queue = 邮件队列
passport-fact-retention-raw = 原始采样
passport-fact-retention-minute = 分钟汇总
passport-fact-retention-hour = 小时汇总
passport-fact-retention-audit = 审计日志
passport-fact-retention-archive = 删除前归档
passport-fact-retention-purges = 清理历史
passport-fact-backups-targets = 备份目标
passport-fact-backups-last_good = 最近一次验证成功的备份
passport-fact-backups-drill = 最近一次恢复演练
passport-fact-leaves-sync = 同步到中央服务器
passport-fact-leaves-sync_data = 哪些数据
passport-fact-leaves-last_sent = 最近发送
passport-fact-leaves-mail = 报警邮件
passport-fact-leaves-nothing_else = 没有其他
passport-fact-ownership-owner = 所有者
passport-fact-ownership-formats = 完整导出
passport-fact-ownership-last_export = 最近一次完整导出
passport-fact-ownership-deletion = 应要求删除

## The facts.

passport-text = { $text }
passport-count = { $n }
passport-size = { $size }
passport-list_sep = ；
passport-never = 从未
passport-utc = { $time } UTC
passport-bytes = { $n ->
        *[other] { $n } 字节
    }
passport-span_s = { $n } 秒
passport-span_min = { $n } 分钟
passport-span_h = { $n } 小时
passport-span_days = { $n ->
        *[other] { $n } 天
    }
passport-not_configured = 未配置
passport-none = 无
passport-none_yet = 尚无
passport-off = 关闭
passport-off_not_configured = 关闭（未配置）
passport-list = { $items }
passport-role_operator = 操作员
passport-role_supervisor = 班组长
passport-role_maintenance = 维修
passport-role_quality = 质量
passport-role_stores = 仓库
passport-role_management = 管理层
passport-role_admin = 管理员
passport-device_item = { $name }（{ $key }）：{ $tags ->
        *[other] { $tags } 个标签
    }，每 { $ms } ms 读取一次
passport-tag_item = { $device }/{ $tag }：{ $unit }，每 { $ms } ms，存储方式：{ $policy }
passport-no_unit = 无单位
passport-record_every_poll = 每次读取
passport-record_on_change = 变化时
passport-record_deadband = 死区
passport-record_swinging_door = 旋转门压缩
passport-poll_rate = { $n ->
        *[other] { $n } 个标签
    }每 { $ms } ms
passport-recording_item = { $n ->
        *[other] { $n } 个标签
    }：{ $policy }
passport-free_of = { $free }，共 { $total }
passport-not_measured = 尚未测量
passport-growth = 每天 { $size }（根据最近 { $covered } 存储的采样值；最长按 { $days } 天、最短按一小时计算）
passport-growth_none = 最近 { $days } 天没有存储采样值
passport-days = { $n ->
        *[other] { $n } 天
    }
passport-not_measurable = 尚无法测量
passport-memory_only = 每个标签的最新值和实时数据流（每次读数都实时显示；存储哪些数据取决于各标签的记录策略）
passport-role_count = { $role } { $n } 人
passport-user_item = { $role }：{ $name }（{ $username }）：上次登录 { $last }，{ $mfa ->
         [on] 已启用双重验证
         [required] 要求双重验证，尚未设置
        *[other] 无双重验证
    }{ $disabled ->
         [yes] ，已停用
        *[other] {""}
    }
passport-vendor_item = { $name }（{ $username }）：上次登录 { $last }，{ $mfa ->
         [on] 已启用双重验证
         [required] 要求双重验证，尚未设置
        *[other] 无双重验证
    }{ $disabled ->
         [yes] ，已停用
        *[other] {""}
    }；供应商 { $company }，到期 { $expires }
passport-displays = { $n } 个有效
passport-display_item = { $name }：上次使用 { $last }
passport-lan_on = 开启，监听 { $listen }
passport-lan_off = 关闭（仅本机，{ $listen }）
passport-permissions = 各角色的权限，由服务器强制执行
passport-tls_off = 未使用：局域网访问已关闭（仅本机）
passport-tls_on = 局域网 HTTPS，{ $kind ->
         [self_signed] 自签名
        *[other] 已上传的
    }证书有效期至 { $until }，SHA-256 { $fingerprint }
passport-tls_no_cert = 局域网访问已开启，尚无证书
passport-password = 至少 { $min } 个字符，且不在 { $common } 个常见密码之列
passport-lockout = { $minutes } 分钟内同一用户名登录失败 { $name } 次或同一地址失败 { $address } 次后锁定
passport-vendor_accounts = 供应商账户
passport-session_timeouts = 无操作 { $idle } 后结束，登录 { $max } 后结束
passport-audit_intact = 完整：{ $records } 条记录，链头 { $head }
passport-audit_broken = 在第 { $id } 条记录处断裂：{ $reason }
passport-encryption_off = 未配置：备份是普通副本；请保护目标文件夹
passport-encryption_key_away = 开启（age，接收方 { $recipient }）；密钥不在本机：校验、恢复或演练时请输入恢复密钥
passport-encryption_key_in_memory = 开启（age，接收方 { $recipient }）；密钥仅保存在内存中，直到 Plantlog 停止（{ $why }）
passport-encryption_key_in_keyring = 开启（age，接收方 { $recipient }）；密钥保存在操作系统密钥环中
passport-keeps_working = 全部：采集、存储、页面、报警、报表以及到本地目标的备份都在本机运行，不需要互联网
passport-sync_no_raw = 不发送原始采样值；{ $streams }
passport-stream_item = { $stream }：已发送 { $rows } 行{ $waiting ->
         [yes] ，一批待发送
        *[other] {""}
    }
passport-sync_backlog = { $n } 个采样值等待发送（{ $size }），已确认至 { $acked }
passport-sync_backlog_behind = { $n } 个采样值等待发送（{ $size }），已确认至 { $acked }，落后 { $behind }
passport-mail_queue = { $waiting } 封等待，{ $failed } 封失败
passport-mail_queue_oldest = { $waiting } 封等待，最早的已等待 { $oldest }，{ $failed } 封失败
passport-kept_by_hand = 保留至手动删除
passport-archive_on = 开启，存至 { $dir }
passport-purges_none = 尚未删除任何数据
passport-purges = { $n ->
        *[other] { $n } 次清理
    }，最近一次 { $last }
passport-purge_item = { $ts }：{ $before } 之前的{ $class ->
         [raw] 原始采样值
         [minute] 分钟汇总
         [hour] 小时汇总
         [audit] 审计日志
        *[other] { $class }
    }，{ $rows } 行（{ $samples } 个采样值），由保留任务删除
passport-purge_item_archived = { $ts }：{ $before } 之前的{ $class ->
         [raw] 原始采样值
         [minute] 分钟汇总
         [hour] 小时汇总
         [audit] 审计日志
        *[other] { $class }
    }，{ $rows } 行（{ $samples } 个采样值），由保留任务删除，已归档至 { $archive }
passport-target_item = { $name }：{ $path }（{ $schedule }{ $enabled ->
         [no] ，已关闭
        *[other] {""}
    }）{ $overdue ->
         [yes] ，已逾期
        *[other] {""}
    }
passport-last_good = { $time }，{ $target }，{ $name }（{ $size }）
passport-drill = { $time }：{ $passed ->
         [yes] 通过
        *[other] 失败
    }（{ $backup }，{ $target }）{ $overdue ->
         [yes] ，已逾期
        *[other] {""}
    }
passport-sync_on = 开启，发送至 { $url }，站点 { $site }（{ $state ->
         [off] 关闭
         [connected] 已连接
         [behind] 正在追赶
         [offline] 离线
         [parked] 一批被拒绝，等待管理员处理
        *[other] { $state }
    }）
passport-sync_data = { $classes }，从最早的开始
passport-sync_data_lost = { $classes }，从最早的开始。发送前已丢失（同步落后时被保留策略删除）：{ $lost }
passport-sync_no_class = 无（未选择数据类别）
passport-sync_class_raw = 原始采样值（每个标签的每次读数）
passport-sync_class_rollups = 分钟和小时汇总
passport-sync_class_production = 生产记录（停机原因、计划停机、废品和理想节拍）
passport-sync_class_audit = 审计日志
passport-sync_class_config = 配置版本
passport-lost_raw = { $tags ->
        *[other] { $tags } 个标签
    }的 { $n } 个原始采样值
passport-lost_rollups = { $tags ->
        *[other] { $tags } 个标签
    }的 { $n ->
        *[other] { $n } 个标签小时
    }汇总值
passport-lost_audit = { $n } 条审计记录
passport-last_sent = { $time }（{ $n } 个采样值，{ $size }）
passport-mail_on = 发送至 SMTP 服务器 { $host }:{ $port }
passport-nothing_else = 除已配置的设备、已配置的 SMTP 服务器和已配置的中央服务器外，Plantlog 不建立任何网络连接。
passport-owner = 工厂：所有数据都在本机自己的数据库文件中，可按需导出为开放格式
passport-formats = 每张表导出为 CSV；每个采样值和汇总导出为 Parquet 和 CSV；配置导出为 TOML；schema.md 和 schema.json；SHA256SUMS。无需 Plantlog 即可在 Excel、pandas 或 DuckDB 中打开；可断点续传
passport-last_export = { $time }，由 { $who } 导出至 { $to }（{ $what }）
passport-deletion = 某人的姓名（各处替换为化名；其操作记录保留）、某个标签的历史；先计划、再确认、记入审计，然后压缩数据库
passport-doc-title = 数据护照：{ $plant }
passport-doc-read_at = 于 { $time } 从运行中的 Plantlog 读取。以下每项都是当时的实时状态。
passport-doc-fact = 项目
passport-doc-now = 当前
passport-doc-changed_at = 修改位置
passport-doc-line = { $label }：{ $value }
passport-doc-line_changed = { $label }：{ $value }（修改位置：{ $change }）
passport-doc-pdf_title = 数据护照
passport-doc-pdf_plant = { $plant }：每项都是运行中的 Plantlog 此刻的实时状态
