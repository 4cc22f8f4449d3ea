# The errors of the core as the command line says them, by code and params, made
# from the UI's catalogues ui/src/i18n/errors/zh.json (shared codes; "config": a
# configuration's mistakes, "place": where they are) and the "errors" of every other
# area of ui/src/i18n by ui/src/lib/errorsftl.ts. Do not edit: change those and run
# PLANTLOG_WRITE_FTL=1 npx vitest run src/lib/errorswords

errors-bad_credentials = 用户名或密码错误
errors-mfa_required = 请输入身份验证器应用中的验证码（或恢复码）。
errors-bad_code = 验证码错误或已被使用。请输入应用中当前的验证码。
errors-too_many_attempts = 登录失败次数过多。请等待 15 分钟，用身份验证器验证码登录，或联系管理员。
errors-busy = Plantlog 正在核对其他登录。请几秒钟后再试。
errors-setup_code_required = 请输入 Plantlog 启动时显示的设置码。
errors-setup_local_only = 管理员账户只能在运行 Plantlog 的电脑上创建，不能通过网络创建。
errors-mfa_enrolment_required = 请先设置身份验证器应用。
errors-same_password = 请选择一个与所给密码不同的新密码。
errors-line_busy = 这条线路上已有测试读取或扫描在进行。请等它完成。
errors-too_large = 内容超出了此页面一次能发送的大小。
errors-cross_origin = 该请求不是来自 Plantlog 自己的页面。请重新加载页面。
errors-unknown_host = Plantlog 不响应此地址。请用 IP 地址或电脑名称打开。
errors-unauthorized = 请登录。
errors-session_expired = 您的会话已结束。请重新登录。
errors-forbidden = 您的角色无权执行此操作。
errors-password_change_required = 您必须先设置新密码。
errors-weak_password = { $reason ->
         [too_short] 密码太短：请至少使用 { $chars } 个字符（几个词组合起来就是好密码）。
         [too_long] 密码太长：最多使用 { $chars } 个字符。
         [username] 密码不能包含用户名。
         [repeated] 密码不能是同一个字符的重复。
         [run] 密码不能是 abcdefghijkl 这样的连续字符。
         [common] 此密码在常见或已泄露密码列表中；请另选一个。
         [common_core] 此密码是常见密码“{ $word }”加上几个字符；请另选一个。
         [place] 密码不能是“{ $word }”：这是在此处最先会被猜到的。
        *[other] 密码太弱：请至少使用 12 个字符，且不要使用常见密码。
    }
errors-invalid_display_name = 请输入此人的姓名。
errors-invalid_username = 此用户名不允许：请使用字母、数字、点、短横线或下划线。
errors-username_taken = 此用户名已被使用。请另选一个。
errors-last_admin = 这样将没有启用的管理员账户。请先将其他用户设为管理员。
errors-setup_done = 管理员账户已存在。请登录。
errors-not_found = { $what ->
         [machine] 没有这台机器。
         [device] 没有这个设备。
         [tag] 没有这个测点。
         [user] 没有这个用户。
         [session] 该会话已经结束。
        *[other] 未找到。
    }
errors-internal = 由于内部错误，Plantlog 无法完成此操作。Plantlog 电脑的日志中有详细信息，参考编号 { $reference }。
errors-invalid_config = { $count ->
        *[other] 配置中有 { $count } 处错误；请改正后再次保存。
    }
errors-unknown_language = Plantlog 没有“{ $language }”语言。
errors-unknown_theme = Plantlog 没有“{ $theme }”主题。
errors-stopped = 请求已取消，或 Plantlog 正在停止。请稍后再试。
errors-network = 无法连接 Plantlog。请检查连接后重试。
errors-bad_response = Plantlog 返回了此页面无法理解的应答。
errors-failed = 请求失败（{ $status }）。
errors-cli_internal = Plantlog 无法完成此操作：{ $detail }
errors-db_open = 无法打开数据库 { $path }：{ $detail }；请检查该文件夹是否存在且可写
errors-db_migrate = 无法将数据库 { $path } 升级到此版本的 Plantlog：{ $detail }
errors-db_too_new = 数据库 { $path } 由更新版本的 Plantlog 写入（数据库架构 { $found }；此 Plantlog { $version } 最多支持 { $known }）。它未被打开，因此其中没有任何更改：请重新安装那个更新的 Plantlog，或恢复由此版本制作的备份
errors-folder_in_use = 另一个 Plantlog 进程已在向 { $dir } 采集数据：{ $holder }。请先停止它，或为此进程指定另一个 --data-dir
errors-lock_file = 无法创建锁文件 { $path }：{ $detail }
errors-bad_range = 开始时间必须早于结束时间，且不能在将来。
errors-tags_needed = 请至少选择一个标签。
errors-unknown_tag = 没有标签“{ $tag }”；请给出标签 ID 或 设备/标签 名称。
errors-range_too_long = 按小时的数据最多覆盖 62 天；更长的时间范围请按天选择。
errors-export_cancelled = 导出在写入驱动器之前已取消。
errors-service_not_installed = Plantlog 服务未安装；请用以下命令安装：plantlog service install
errors-service_not_admin = 此操作需要管理员权限：{ $os ->
         [windows] 请用“以管理员身份运行”打开控制台后重试
        *[other] 请用 sudo 运行
    }
errors-takeout_not_empty = { $folder } 中有其他文件；请选择空的或新的文件夹（或未完成导出的文件夹以继续导出）
errors-takeout_mismatch = { $file } 与写入时的校验和不一致：驱动器可能有故障；请重新运行导出以重写它
errors-takeout_cancelled = 导出已取消；已完成的部分会保留：在同一文件夹上再次运行即可继续
errors-config-empty_site_name = 站点名称为空；请填写工厂名称
errors-config-unknown_zone = “{ $zone }”不是已知的时区；请使用 IANA 名称，例如 "Europe/Berlin" 或 "America/Chicago"
errors-config-shift_no_name = 该班次没有名称；请命名，例如 "早班"
errors-config-shift_same_name = 另一个班次使用了相同的名称；班次名称必须不同
errors-config-not_time = “{ $value }”不是时间；请写成 "HH:MM"，例如 "{ $example }"
errors-config-shift_no_length = 该班次的开始时间与结束时间相同；班次必须有时长
errors-config-day_twice = { $day } 出现了两次；每一天只列一次
errors-config-date_twice = { $date } 出现了两次
errors-config-not_date = “{ $value }”不是日期；请写成 "YYYY-MM-DD"，例如 "2026-12-25"
errors-config-same_key = { $what ->
         [machine] 另一台机器
         [serial_line] 另一条串行线路
         [device] 另一个设备
        *[other] 另一个条目
    }使用了相同的键；键必须不同
errors-config-empty_machine_name = 机器名称为空；请填写大家使用的名称
errors-config-micro_stop_range = 微停机阈值必须为 1 到 86400 秒（默认 120）
errors-config-running_counted_range = 时间必须为 1 到 86400 秒：计数一个零件后机器仍被视为运行的时长
errors-config-max_rate_range = 最大速率必须是大于 0 的每分钟零件数：比它更快的计数器跳变将被保留待审核
errors-config-empty_line = 产线名称为空；请命名产线或去掉 line
errors-config-state_twice = 值 { $value } 被映射了两次；每个状态值只对应一个状态
errors-config-empty_port = 端口为空；请填写串口，例如 Windows 上的 "COM3" 或 Linux 上的 "/dev/ttyUSB0"
errors-config-port_used = 端口 { $port } 已被串行线路“{ $other }”使用；一个端口就是一条线路，请把设备放在那条线路上
errors-config-bad_baud = { $baud } 波特不是串口速率；请使用设备的速率，例如 9600 或 19200
errors-config-bad_data_bits = 数据位必须为 7 或 8（Modbus RTU 使用 8）
errors-config-bad_stop_bits = 停止位必须为 1 或 2
errors-config-bad_frame_gap = 帧间隔必须为 0 到 1000 ms；不填则使用 3.5 个字符
errors-config-port_zero = 端口 0 不是有效端口；Modbus TCP 设备通常监听 502
errors-config-max_registers_range = 最大请求必须为 1 到 125 个寄存器
errors-config-max_bits_range = 最大请求必须为 1 到 2000 个线圈或输入
errors-config-tag_no_name = 该标签没有名称；请命名，例如 "temperature"
errors-config-tag_same_name = 该设备的另一个标签使用了相同的名称；同一设备内的标签名称必须不同
errors-config-bad_scale = 缩放系数必须是非 0 的数；不缩放请用 1
errors-config-bad_offset = 偏移量必须是有限的数；不偏移请用 0
errors-config-role_needs_machine = 有角色的标签必须属于一台机器；请在标签或其设备上设置 machine
errors-config-counter_not_integer = 零件计数器必须是整数类型（u16、u32、u64、i16、i32、i64）
errors-config-state_not_number = 机器状态必须是机器状态表能映射的数字
errors-config-state_and_run = 该机器同时有状态标签和运行位；状态只能来自其中一个，请去掉另一个的角色
errors-config-deadband_needed = record = "deadband" 需要 deadband（以标签单位计的变化量）或 deadband_percent，且大于 0
errors-config-door_needs_deadband = record = "swinging_door" 需要 deadband：以标签单位计的门宽，且大于 0
errors-config-text_no_deadband = 字符串标签按每次轮询或变化时存储；死区只适用于数字
errors-config-heartbeat_every_poll = 每次读数都已存储；心跳只适用于 on_change、deadband 或 swinging_door
errors-config-bad_terminator = 一行以 "\n"、"\r\n" 或 "\r" 结尾
errors-config-max_line_range = 最长行必须为 8 到 65536 字节
errors-config-pattern_needed = 串行线路设备需要带命名分组的模式，例如 '^ST,GS,(?P<weight>[+-]?[0-9.]+)kg$'
errors-config-pattern_no_group = 该模式没有命名分组；请为包含数值的部分命名，例如 (?P<weight>...)
errors-config-field_needed = 串行线路标签需要 field = "..."：设备模式中包含其数值的命名分组
errors-config-field_not_modbus = field 用于串行线路标签；Modbus 标签应给出 function 和 address，或 register
errors-config-register_and_address = 请给出 register（按手册，例如 40001）或 address（线路上从 0 开始），不要同时给出
errors-config-function_needed = 使用 address 时请说明哪个表：function = "holding"、"input"、"coil" 或 "discrete"（或改为按手册给出 register）
errors-config-no_register = 该标签没有寄存器；请按手册给出 register（例如 40001）或 function 和 address
errors-config-bool_not_register = bool 用于线圈和离散输入；寄存器中的某一位请使用 type = "bit" 并设置 bit = 0..15
errors-config-bit_needed = type bit 需要 bit = 0..15，即寄存器的位（0 为最低位）
errors-config-bit_not_bit = bit 用于 type = "bit"；请删除它或更改类型
errors-config-length_needed = type string 需要 length：寄存器个数（每个两个字符）
errors-config-length_zero = 字符串至少需要一个寄存器
errors-config-text_no_scale = 字符串标签是文本：不能有缩放、偏移或角色
errors-config-length_not_string = length 用于 type = "string"；请删除它或更改类型
errors-config-alarm_same_key = 另一个报警使用了相同的键；报警键必须不同
errors-config-escalate_roles = 请按顺序列出要升级通知的角色
errors-config-after_min_range = after_min 必须为 1 到 10080 分钟（一周）
errors-config-alarm_no_name = 该报警没有名称；请起一个大家能认出的名称，例如 "油温过高"
errors-config-escalate_after_range = 必须为 1 到 10080 分钟（一周）
errors-config-escalate_to_needed = escalate_after_min 需要 escalate_to：按顺序要通知的角色
errors-config-escalate_after_needed = escalate_to 需要 escalate_after_min：各级之间的分钟数
errors-config-action_needed = 请说明报警出现时该做什么，例如 "检查油冷却器风扇；超过 90 °C 时停止压机"
errors-config-time_at_least_one = 时间至少为 1
errors-config-value_twice = 该值出现了两次
errors-config-value_no_text = 该值没有文字；请说明其含义，例如 "急停"
errors-config-bit_twice = 该位出现了两次
errors-config-bit_no_text = 该位没有文字；请说明其含义，例如 "电机过载"
errors-config-needs_host = { $protocol } 设备需要 host：其 IP 地址或名称
errors-config-network_no_bus = { $protocol } 设备通过网络访问，而不是串行线路；请删除 bus，或使用 protocol = "modbus-rtu"
errors-config-needs_bus = { $protocol } 设备需要所在的串行线路：bus = "..."，即 [[buses]] 中的一个键
errors-config-no_bus = 没有串行线路“{ $b }”；请在 [[buses]] 下添加，或更正键
errors-config-bus_used = 串行线路“{ $b }”已被设备“{ $other }”使用；串行文本设备需要独占一条线路
errors-config-serial_no_net = { $protocol } 设备在串行线路上；请删除 { $f }
errors-config-rtu_unit_range = 单元 ID { $unit } 在串行线路上无法寻址；请使用 1 到 247
errors-config-unit_shared = 设备“{ $other }”已在读取 { $endpoint } 单元 { $unit }；同一线路或地址上的两个设备不能共用单元 ID
errors-config-serial_only = { $f } 用于串行线路设备；Modbus 设备没有此项
errors-config-role_every_change = { $role } 标签必须保存每次变化（record = "on_change" 或 "every_poll"）：生产指标由每次变化计算
errors-config-role_twice = 机器“{ $machine }”已在 { $at } 有 { $role } 标签；一台机器只能有一个
errors-config-bad_break = “{ $start }”–“{ $end }”不是时间段；请把开始和结束写成 "HH:MM"
errors-config-break_outside = 休息 { $start }–{ $end } 不在班次 { $shift_start }–{ $shift_end } 之内；休息必须在所属班次内开始和结束
errors-config-break_overlap = 该休息与第 { $other } 个休息重叠；休息不能重叠
errors-config-shift_overlap = 该班次与班次“{ $other }”（{ $start }–{ $end }）重叠；同一天的班次不能重叠
errors-config-deadband_unused = { $f } 仅适用于 record = "deadband" 或 "swinging_door"；请删除它或更改 record
errors-config-heartbeat_range = 心跳必须在轮询间隔（{ $poll_s } s）到 86400 s 之间
errors-config-no_machine = 没有机器“{ $m }”；请在 [[machines]] 下添加，或更正键
errors-config-bad_pattern = 该模式不是有效的正则表达式：{ $e }
errors-config-no_group = 该模式没有名为“{ $f }”的分组；它的分组有：{ $groups }
errors-config-modbus_only = { $f } 用于 Modbus 标签；串行线路标签的数值来自 field
errors-config-register_function = 寄存器 { $r } 是 { $kind }，但 function 写的是 { $function }；请去掉 function 或更正它
errors-config-bad_register = { $r } 不是寄存器编号；手册写法为 00001-09999（线圈）、10001-19999（离散输入）、30001-39999（输入寄存器）、40001-49999（保持寄存器），或 6 位数如 400001
errors-config-bits_are_bool = { $kind } 只存一位；其类型为 bool
errors-config-bit_range = 位 { $b } 不存在；寄存器只有第 0 到 15 位
errors-config-too_wide = 该值占 { $width } 个寄存器，超过设备的最大请求（{ $limit }）
errors-config-bad_key = “{ $key }”不是可用的键；请使用 1 到 64 个小写字母、数字、'-' 或 '_'，例如 "press-1"
errors-config-counted_not_needed = 机器状态已来自其状态标签或运行位；请删除 running_when_counted_s
errors-config-counted_needs_counter = running_when_counted_s 需要机器的零件计数器：请给它的一个标签设置 role = "count"
errors-config-shift_past_day = 该班次在下一个生产日开始（{ $day_start }，最早的班次开始时间）之后才结束；请缩短它
errors-config-ms_range = { $what ->
         [timeout] 超时
         [poll] 轮询间隔
        *[other] 时间
    } { $v } ms 不在 { $lo } 到 { $hi } ms 之内
errors-config-past_last_address = 位于 { $address } 的 { $dtype } 超出了最后地址 65535；请检查地址
errors-config-no_role = 没有角色“{ $r }”；角色有：{ $roles }
errors-config-escalation_twice = 另一条升级规则已用于 { $priority } 报警；每个优先级只设一条
errors-config-no_roles = 没有角色接收此报警；请至少给出其中一个：{ $roles }
errors-config-bad_delay = { $v } 不是 0 到 86400 秒的延迟
errors-config-no_tag = 没有标签“{ $t }”；请写成 "设备/标签"，使用已配置的设备键和标签名
errors-config-text_tag_alarm = “{ $t }”是文本标签；报警只监视数字
errors-config-no_device = 没有设备“{ $d }”
errors-config-no_machine_alarm = 没有机器“{ $m }”
errors-config-machine_no_state = 机器“{ $m }”没有状态：请给它的一个标签设置 role = "state" 或 "run"
errors-config-machine_no_counter = 机器“{ $m }”没有零件计数器：请给它的一个标签设置 role = "count"
errors-config-bad_deadband = { $d } 不是大于等于 0 的死区
errors-config-bad_interval = { $m } 不是 1 到 60 分钟的需量周期（通常为 15）
errors-config-bit_past_last = 位 { $bit } 超出了最后一位（{ $max_bit }）
errors-config-digest_not_time = “{ $value }”不是时间；请写成 HH:MM，例如 "07:00"
errors-config-shelve_max_zero = 最长搁置时间至少为 1 分钟
errors-config-alarm_unused_field = { $article ->
        *[other] “{ $kind }”报警不使用 { $f }；请删除它（它使用 { $uses }）
    }
errors-config-alarm_needs_field = { $article ->
        *[other] “{ $kind }”报警需要 { $f }；请添加
    }
errors-config-bad_limit = { $what ->
         [rate] { $l } 不是大于 0 的速率（每分钟单位数）
         [demand] { $l } 不是大于 0 的需量（kW）
        *[other] { $l } 不是数字
    }
errors-config-not_toml = 这不是有效的 TOML：{ $detail }
errors-config-no_site = 缺少 [site] 部分；请添加 name = "..." 和 timezone = "地区/城市"
errors-config-not_list = 应为 [[{ $key }]] 表的列表，实际为 { $found }
errors-config-not_table = 应为表，实际为 { $found }
errors-config-no_template = 没有模板“{ $key }”；已知模板有：{ $known }
errors-config-required = “{ $field }”是必填项；请添加
errors-config-unknown_value = 未知的值“{ $value }”；请使用其中之一：{ $allowed }
errors-config-not_in_range = { $value } 不是{ $ty ->
         [u8] 介于 0 到 255 的整数
         [u16] 介于 0 到 65535 的整数
         [u32] 介于 0 到 4294967295 的整数
         [u64] 大于等于 0 的整数
        *[other] 数字
    }
errors-config-unknown_key = 未知的键“{ $key }”{ $hint ->
         [near] ；您是指 "{ $near }" 吗？
        *[other] ；已知的键有：{ $known }
    }
errors-config-rejected = 配置未导入；需要修正 { $count ->
        *[other] { $count } 处错误
    }：
errors-config-file_rejected = 文件未导入；需要修正 { $count ->
        *[other] { $count } 处错误
    }：
errors-config-line = { $place }：{ $message }
errors-config-master_rejected = 产品、检验计划和物料未导入；需要修正 { $count ->
        *[other] { $count } 处错误
    }：
errors-config-product_same_code = 另一个产品使用了此代码；代码必须不同（不区分大小写）
errors-config-product_no_name = 名称为空；请为产品命名
errors-config-product_two_plans = 该产品已有另一个检验计划；请把所有特性放在一个计划中
errors-config-plan_empty = 该检验计划没有检验项；请添加 [[plans.characteristics]]
errors-config-characteristic_same_name = 该检验计划中已有同名特性；名称必须不同
errors-config-material_same_code = 另一种物料使用了此代码；代码必须不同
errors-config-material_no_name = 名称为空；请为物料命名
errors-config-material_no_unit = 单位为空；请说明数量的计量单位（kg、m、件）
errors-config-characteristic_no_name = 名称为空；请说明检验的内容
errors-config-measured_no_limit = 计量型特性需要下限或上限（或两者）
errors-config-measured_no_unit = 计量型特性需要单位（mm、bar、g）
errors-place-alarm_settings = 报警设置
errors-place-serial_line = 串行线路
errors-place-site = 站点
errors-place-shift = 班次
errors-place-machine = 机器
errors-place-device = 设备
errors-place-tag = 标签
errors-place-state = 状态
errors-place-holiday = 假日
errors-place-alarm = 报警
errors-place-bit = 位
errors-place-item = 条目
errors-place-field = 字段
errors-place-line = 行
errors-place-column = 列
errors-place-file = 文件
errors-place-row = 行
errors-place-product = 产品
errors-place-material = 物料
errors-place-break = 休息
errors-place-escalation = 升级
errors-place-value = 值
errors-place-plan = 检验计划
errors-place-characteristic = 特性
errors-place-named = { $kind }“{ $name }”
errors-place-index = 第 { $n } 个{ $kind }
errors-place-number = { $kind } { $n }
errors-place-sep = ，

## account

errors-mfa_required_for_role = 您的角色要求使用第二重验证，不能关闭。

## configuration

errors-config_conflict = 自您加载以来配置已被更改。请重新加载，并在新版本上进行更改。

## quality

errors-bad_product = 没有产品“{ $product }”；产品及其检验计划由质量部门添加。
errors-lot_exists = { $what ->
         [material_lot] 物料批次“{ $lot }”已收货；每个标签只能收货一次。
        *[other] 批次“{ $lot }”已存在；请为每个批次使用不同的编号。
    }
errors-lot_running = 批次“{ $lot }”正在 { $machine } 上进行；请先结束它再开始新批次。
errors-lot_ended = { $action ->
         [check] 批次“{ $lot }”已结束；检验只能录入到进行中的批次（允许更正之前的检验）。
        *[other] 批次“{ $lot }”已经结束。
    }
errors-bad_characteristic = 该检验不在此批次产品的当前检验计划中；请刷新页面并按当前计划录入。
errors-bad_correction = 该检验无法更正：请更正同一批次、同一特性的最新一次检验。
errors-bad_disposition = 请选择返工、报废或让步接收。
errors-in_spec = 该检验合格；只有超出规格的结果才需要处置。
errors-no_gauge = 该检验没有 Plantlog 已知的量具；请手动输入数值。
errors-gauge_timeout = { $seconds } 秒内没有收到量具“{ $gauge }”的读数；请按量具的发送按钮后重试，或手动输入数值。
errors-bad_field = { $rule ->
         [length] 请填写{ $field ->
         [code] 批号
         [reason] 原因
         [supplier] 供应商
         [supplier_lot] 供应商批号
        *[other] { $field }
    }：1 到 { $max } 个字符（当前 { $given } 个）。
         [too_long] { $field ->
         [comment] 备注
         [certificate] 证书编号
        *[other] 此字段
    }最多 { $max } 个字符（当前 { $given } 个）。
         [range] 废品数量为 { $min } 到 { $max } 件；{ $given } 不在范围内。
         [positive] 请填写大于 0 的数量。
         [deviation_comment] 让步接收需要填写备注：说明这些零件为何可以使用。
         [issue_machine] 请说明物料发放到哪台机器。
        *[other] { $detail }
    }
errors-bad_time = { $rule ->
         [start_future] 批次只能在现在或过去开始，不能在将来。
         [end] 批次的结束时间须在开始之后，且不能在将来。
         [received_future] 物料只能在现在或过去接收，不能在将来。
        *[other] { $detail }
    }
errors-bad_value = { $rule ->
         [measured] “{ $name }”是计量项：请填写以 { $unit } 为单位的数值。
         [measured_no_unit] “{ $name }”是计量项：请按其单位填写数值。
         [not_number] “{ $name }”的值不是数字。
         [measured_not_pass] “{ $name }”是计量项：请填写数值，而不是合格或不合格。
         [pass_fail] “{ $name }”是合格/不合格项：请选择合格或不合格。
        *[other] { $detail }
    }
errors-bad_kind = { $rule ->
         [move] “{ $given }”不是库存移动：请选择发放、退回或报废（接收有单独的表单）。
        *[other] { $detail }
    }
errors-bad_paper = 纸张“{ $given }”未知：请选择 A4 或 Letter。

## stores

errors-bad_material = 没有物料“{ $material }”；请先在物料中添加。
errors-negative_stock = 物料批次 { $lot } 库存 { $on_hand } { $unit }；{ $move ->
         [issue] 发料
        *[other] 报废
    } { $quantity } { $unit } 后将剩余 { $left } — 请检查数量或标签（管理员可在本页允许负库存）。

## sync

errors-bad_bandwidth = 无法设置 { $bytes } 字节/秒的带宽限制：请填写 0（不限）或至少 1 kB/s。
