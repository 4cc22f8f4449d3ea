# 命令行：工厂人员阅读的内容。

cli-error = 错误：{ $message }
cli-file-written = { $file }（{ $bytes } 字节）

cli-users-none = 尚无用户：请打开网页界面创建管理员账户。
cli-users-disabled = （已停用）
cli-users-no-such = 没有用户“{ $name }”
cli-users-new-password = { $name } 的新密码：{ $password }
cli-users-must-change = 下次登录时必须设置自己的密码。
cli-users-mfa-removed = 已移除 { $name } 的第二验证因素。如其角色要求，将在下次登录时重新设置。

cli-run-running = Plantlog 正在运行：{ $url }
cli-run-data-folder = 数据文件夹：{ $folder }
cli-run-stopping = 正在停止...
cli-run-no-admin = 尚无管理员账户。请在本机打开上面的地址创建；设置页面会要求输入此代码：
cli-run-setup-code = 设置代码：{ $code }
cli-run-lan = 工厂局域网可通过 HTTPS 访问 Plantlog：
cli-run-certificate = 证书：SHA-256 { $fingerprint }
cli-run-certificate-self-signed = 证书（自签名）：SHA-256 { $fingerprint }

cli-config-valid = { $file } 是有效的配置：{ $machines } 台设备，{ $devices } 个控制器，{ $tags } 个测点
cli-config-imported = 已将 { $file } 作为配置版本 { $version } 导入 { $folder }
cli-config-unchanged = { $file } 已是当前运行的配置（版本 { $version }）；未做更改
cli-config-none = { $folder } 尚无配置；请用以下命令导入：plantlog config import 文件.toml
cli-config-wrote = 已将配置版本 { $version } 写入 { $file }

cli-backup-done = 已将 { $folder } 备份到 { $backup }：{ $size }，{ $files } 个文件，已校验（完整性正常，{ $tables } 张表及 { $tags } 个测点在备份时刻的最新数据），用时 { $seconds } 秒（复制 { $copy } 秒）。
cli-backup-incremental = 基于 { $parent } 的增量备份：{ $pages } 页中有 { $stored } 页已更改并保存。
cli-backup-verifies = 备份 { $backup } 校验通过：{ $files } 个文件及其 SHA-256，完整性正常，{ $tables } 张表及 { $tags } 个测点的最新数据与记录一致（{ $size }，{ $name }），用时 { $seconds } 秒。
cli-backup-not-verified = 备份 { $backup } 校验未通过：{ $problems }
cli-backup-restored = 已将 { $name } 的备份恢复到 { $folder }。
cli-backup-kept-aside = 原有数据保存在 { $aside }（未删除任何内容）。
cli-backup-was-empty = 数据文件夹原为空。
cli-backup-none = { $folder } 中没有备份。
cli-backup-no-target = { $folder } 未设置备份目标：请在“备份”页面添加，或用 --to 指定文件夹
cli-backup-skipped = { $target }：{ $why }；已跳过。
cli-backup-target-done = { $target }：已备份到 { $backup }（{ $size }），已校验，用时 { $seconds } 秒。
cli-backup-target-failed = { $target }：失败：{ $error }
cli-backup-failed-count = { $count } 个备份目标失败
cli-backup-drill-failed = { $backup } 的恢复演练在 { $seconds } 秒后失败：{ $detail }
cli-backup-drill-passed = { $backup }（{ $target }）的恢复演练通过，用时 { $seconds } 秒：{ $detail }。

cli-sync-on = 同步已开启：站点 { $site } 到 { $url }，发送 { $streams }。令牌保存在{ $kept }。
cli-sync-off = 同步已关闭。
cli-sync-unlimited = 同步发送不限带宽。
cli-sync-limit = 同步平均每秒最多发送 { $bytes } 字节。

cli-service-installed = 已安装 Plantlog 服务：数据文件夹 { $folder }，网页界面 http://{ $addr }/
cli-service-started = 已启动。每次开机时自动启动。
cli-service-removed = 已移除 Plantlog 服务。其数据文件夹保留。
cli-service-stopped = 已停止 Plantlog 服务；在再次启动前不采集任何数据。

cli-export-no-drive = 未插入可移动驱动器。
cli-export-no-label = （无卷标）
cli-export-drive-free = 可用 { $free } GiB，共 { $size } GiB
cli-export-nothing = 请选择要导出的内容：--reports、--tags、--config 或 --audit
cli-export-done = { $files } 个文件，{ $bytes } 字节，每个校验和均已回读并校验。可以安全移除。
cli-export-cancelling = 正在取消；再按一次 Ctrl+C 立即停止

cli-forget-user-plan = { $user }（{ $name }）将变为 { $pseudonym }：删除登录凭据、{ $sessions } 个会话和电子邮件地址；有 { $audit } 条审计记录提及此人或由其操作。
cli-forget-rows-name-them = { $table }：{ $rows } 行提及此人
cli-forget-to-do-it = 执行命令：{ $command }
cli-forget-confirm-unchanged = --confirm 必须正好是 { $phrase }；未做任何更改
cli-forget-confirm-removed = --confirm 必须正好是 { $phrase }；未删除任何内容
cli-forget-user-done = 完成：更改了 { $rows } 行，{ $audit } 条审计记录改写为 { $pseudonym } 并重新链接（链头 { $head }）；数据库从 { $before } 字节变为 { $after } 字节。
cli-forget-tag-plan = { $name }（测点 { $id }）：将删除 { $samples } 个样本和 { $rollups } 行汇总数据。
cli-forget-tag-done = 完成：已删除 { $rows } 行，已记录审计，数据库已压缩。
cli-forget-rows-removed = { $table }：已删除 { $rows } 行
cli-forget-rows-unlinked = { $table }：{ $rows } 行已解除关联，保留
cli-forget-archived = 已先归档到 { $file }
cli-forget-history-done = 完成：已删除 { $samples } 个样本，已记录审计；数据库从 { $before } 字节变为 { $after } 字节。

cli-takeout-done = { $files } 个文件，{ $bytes } 字节，截至 { $until } 的 { $samples } 个样本{ $resumed }；每个文件均已回读并与 SHA256SUMS 核对（{ $sums }）。
cli-takeout-resumed = ，{ $parts } 个部分中有 { $resumed } 个沿用中断的运行
cli-takeout-schema = 内容说明：schema.md
cli-takeout-stopping = 将在此步骤后停止；再次运行同一命令即可继续

cli-wrote = 已写入 { $file }

cli-audit-broken = 审计日志的链在第 { $id } 条记录处断开：{ $reason }。之前的记录完好（已检查 { $checked } 条）。
cli-audit-intact = 审计日志完好：{ $records } 条记录（{ $first } 至 { $last }），每条都承接上一条。
cli-audit-head = 末端哈希：{ $head }
cli-audit-empty = 审计日志为空。

cli-support-wrote = 已从 { $folder } 写入 { $file }（{ $bytes } 字节，{ $files } 个文件）
cli-support-no-problems = { $folder } 的日志中没有警告或错误。

cli-import-samples = 已从 { $file } 导入 { $tags } 个标签的 { $samples } 个数据点（{ $from } 至 { $to }）到 { $folder }
cli-import-events = 已从 { $file } 导入：{ $reasons } 条原因，{ $stops } 条停机原因，{ $planned } 条计划停机，{ $scrap } 条废品记录，{ $cycles } 条理想节拍

cli-quality-no-config = { $folder } 尚无配置；产品要引用其设备：请先用 plantlog config import 文件.toml 导入配置
cli-quality-imported = 已将 { $file } 导入 { $folder }：产品新增 { $products_added }，修改 { $products_changed }；特性新增 { $characteristics_added }，停用 { $characteristics_retired }（其检验记录保留）；物料新增 { $materials_added }，修改 { $materials_changed }

cli-trace-not-found = { $folder } 中没有生产批次、供应商批次或物料批次“{ $lot }”
cli-trace-material-lot = 物料批次 { $code }：{ $quantity } { $unit } { $material }，供应商 { $supplier }（供应商批次 { $supplier_lot }），接收于 { $received }，库存 { $on_hand }
cli-trace-used-in = 用于 { $count } 个生产批次：
cli-trace-lot = { $code }  { $product }，设备 { $machine }  { $from } 至 { $to }
cli-trace-running = 进行中

cli-modbus-not-a-port = “{ $port }”不是端口号
cli-modbus-parity = 校验“{ $parity }”不是 none、even 或 odd
cli-modbus-where = 请指定读取位置：--tcp HOST[:PORT]、--rtu-tcp HOST:PORT、--serial PORT 三者选一
cli-modbus-not-a-type = “{ $given }”不是类型：bool、bit、u16、i16、u32、i32、u64、i64、f32、f64、string
cli-modbus-not-an-order = “{ $given }”不是字节顺序：ABCD、CDAB、BADC、DCBA
cli-modbus-request = { $request }，经由 { $link }
cli-modbus-not-a-number = 不是数字
cli-modbus-unit = 站号 { $unit }
cli-modbus-scanned = 已扫描 { $line }：{ $asked }
cli-modbus-no-unit = 没有站点应答。请检查接线、波特率和校验。
cli-modbus-answers = 站号 { $unit }：有应答，{ $ms } 毫秒
cli-modbus-answers-exception = 站号 { $unit }：有应答（此寄存器返回异常 { $code }），{ $ms } 毫秒
cli-modbus-no-ports = 未找到串口。请插入 RS-485 适配器后重试。

cli-demo-generating = 正在生成 { $days } 天的演示工厂历史数据（仅限新的数据文件夹）...
cli-demo-history-days = --history-days { $days }：请给出 0.01 至 3660 天
cli-demo-ready = 用时 { $seconds } 秒，已就绪。
cli-demo-running = Plantlog 演示工厂正在运行：{ $url }
cli-demo-users = 演示用户（每次启动生成新密码）：
cli-demo-role = 角色
cli-demo-username = 用户名
cli-demo-password = 密码
cli-demo-stop = 按 Ctrl+C 停止。

cli-forget-machine-plan = { $key }（{ $name }）：将删除 { $tags } 个标签的 { $samples } 个数据点以及以下各行（数据库为 { $bytes } 字节）：
cli-forget-rows = { $table }：{ $rows } 行
cli-forget-rows-would-unlink = { $table }：{ $rows } 行与该设备及其批次解除关联（保留：库存数量保持正确）
cli-forget-class = --class 为 raw、minute、hour、audit 之一
cli-forget-date = 日期写作 2026-01-31（从 UTC 00:00 起）或 2026-01-31T12:00:00Z
cli-forget-future = { $date } 在未来；请选择今天或之前的日期
cli-forget-before-plan = { $date } 之前的 { $class }：将删除 { $table } 的 { $rows } 行（{ $samples } 个数据点）（数据库为 { $bytes } 字节）。

cli-reset-plan = 恢复出厂设置将删除 { $folder } 中的所有内容（{ $entries } 项，{ $bytes } 字节）：包含全部数据点、用户、审计日志和设置的数据库。
cli-reset-export-first = 请先用 --export-to 文件夹 导出全部内容（在删除任何内容之前进行完整且经过校验的导出）。
cli-reset-confirm = --confirm 必须为 { $phrase }；未删除任何内容
cli-reset-stop-first = 请先停止 Plantlog（服务或窗口）
cli-reset-export-failed = 最终导出未完成；未删除任何内容
cli-reset-exported = 最终导出：{ $folder }（{ $files } 个文件，已校验）
cli-reset-done = { $folder } 已清空：Plantlog 将在此如同在新电脑上一样启动。

cli-backup-waiting-for-stick = 正在等待标签为“{ $label }”的 U 盘：尚未插入
cli-backup-good = 完好
cli-backup-state-failed = 失败：{ $why }
cli-backup-incomplete = 不完整：{ $why }
cli-backup-full = 完整备份
cli-backup-incremental-on = 基于 { $parent } 的增量备份
cli-backup-encrypted = { $kind }，已加密

## 命令本身的拒绝和错误。

cli-no-runtime = 无法启动异步运行时
cli-cannot-read = 无法读取 { $file }
cli-cannot-write = 无法写入 { $file }
cli-cannot-create-folder = 无法创建数据文件夹 { $folder }
cli-cannot-open-folder = 无法打开数据文件夹 { $folder }
cli-cannot-remove = 无法删除 { $file }
cli-cannot-read-key = 无法读取恢复密钥文件 { $file }
cli-config-changed-since = 自版本 { $base } 以来的更改：
cli-bad-time = { $flag }：“{ $given }”既不是日期也不是时间；请写日期（2026-03-02）、带时区偏移的 RFC 3339 时间（“2026-03-02T06:14:03+01:00”或“...Z”）或 UTC 毫秒数
cli-bad-delimiter = --delimiter 必须是单个 ASCII 字符，例如 , 或 ;
cli-export-no-report = --reports：没有报告“{ $given }”；可用 shift、production、energy 或 tag
cli-export-no-format = --reports：没有格式“{ $given }”；可用 pdf、xlsx 或 csv
cli-export-file = { $name }  { $size } 字节  { $sha }
cli-service-ended = Plantlog 服务已停止
cli-log-warning = 警告：{ $error }；日志只输出到控制台
cli-service-status-none = Plantlog 服务未安装。请用以下命令安装：plantlog service install
cli-service-status = Plantlog 服务：{ $state }
cli-service-status-pid = 进程：{ $pid }
cli-service-status-folder = 数据文件夹：{ $folder }
cli-service-status-url = 访问地址：{ $url }
