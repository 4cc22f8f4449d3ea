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
