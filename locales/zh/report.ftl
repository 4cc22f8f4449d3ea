# 报告：标题、每页的页眉页脚、表格、图表。

report-shift-title = 班次报告
report-production-title = 生产报告（{ $by ->
        [shift] 按班次
        [day] 按天
        [week] 按周
       *[month] 按月
    }）
report-energy-title = 能耗报告
report-tag-title = 测点报告

report-page = 第 { $page } 页，共 { $pages } 页
report-generated = 由 { $who } 于 { $at }（{ $zone }）生成
report-generated-short = { $at }，{ $who }
report-field-report = 报告
report-field-plant = 工厂
report-field-range = 时间范围
report-field-from = 从
report-field-to = 至
report-field-zone = 时区
report-field-generated = 生成
report-field-generated-by = 生成人
report-field-generated-at = 生成时间

report-col-planned = 计划
report-col-run = 运行
report-col-down = 停机
report-col-no-data = 无数据
report-col-stops = 停机次数
report-col-parts = 件数
report-col-good = 合格
report-col-scrap = 废品
report-col-availability = 可用率
report-col-performance = 性能
report-col-quality = 质量
report-col-oee = OEE
report-col-period = 期间
report-col-line = 产线
report-col-machine = 设备
report-col-day = 日期
report-col-shift = 班次
report-col-reason = 原因
report-col-category = 类别
report-col-share = 占比
report-col-cumulative = 累计
report-col-energy = 能耗
report-col-per-part = 单件
report-col-peak = 峰值
report-col-peak-at = 峰值时间
report-col-note = 备注

report-section-plant = 工厂
report-section-lines = 产线
report-section-machines = 设备
report-section-downtime = 停机
report-section-parts-per-day = 每日件数
report-section-shifts = 班次
report-table-days = 日期
report-table-shift = 班次 { $n }
report-table-stops = 停机 { $n }
report-plant-row = 工厂

report-no-downtime = 此时间范围内无停机。
report-no-machine = 没有有生产数据的设备。
report-no-stops-in-shift = 本班次无停机。
report-no-shift = 此时间范围内无班次。

report-chart-pareto = 按原因的停机（帕累托）
report-chart-good-per-day = 每个生产日的合格件数
report-chart-states = 设备状态
report-chart-cumulative = 累计 %
report-unit-parts = 件
report-unit-min = 分钟
report-unit-h = 小时
report-state-running = 运行
report-state-idle = 空闲
report-state-setup = 换型
report-state-stopped = 停止
report-state-fault = 故障
report-state-no-data = 无数据
report-legend-center = 中心线
report-legend-limits = 控制限
report-legend-spec = 规格限
report-legend-rule = 违反规则

report-no-cjk-font = 此电脑上找不到含中文字符的字体，因此无法生成中文报告。请安装一种字体（Windows 自带微软雅黑；Debian：apt install fonts-wqy-microhei），或在 PLANTLOG_CJK_FONT 中指定字体文件。

report-energy-how = 数据的计算方法
report-energy-how-text = 一天或一个班次的 kWh：电表读数从开始到结束的增量（各取该时刻或之前最后一个有效值；复位和溢出的处理与件数计数器相同）。窗口边缘在电表存储间隔内没有有效读数时，不给出数值。峰值需量：与时钟对齐的 15 分钟区间内最大的 kWh 增量乘以 4，并注明区间开始时间。单件 kWh：生产引擎在同一窗口内对该电表所属设备统计的件数。
report-energy-meters = 电表
report-energy-no-meter = 未配置电表（单位为 kWh 的测点）。
report-energy-peak = 峰值需量：从 { $at } 开始的 15 分钟区间内 { $kw } kW。
report-energy-no-peak = 峰值需量：没有足够的数据计算任何 15 分钟区间。
report-energy-per-part = 单件 kWh：设备 { $machine } 的件数。
report-energy-no-counter = 单件 kWh：此电表所属设备没有件数计数器。
report-energy-chart = { $label }：每日 kWh
report-energy-chart-gaps = { $label }：每日 kWh（无柱：无数值，见表格）
report-energy-note-edge = 数据不足：截至 { $at } 的 { $seconds } 秒内没有有效读数
report-table-n-days = { $n } 日
report-table-n-shifts = { $n } 班次

report-tag-chart = { $label }：每{ $step ->
        [hour] 小时
       *[day] 天
    }的最小值、平均值和最大值
report-col-hour = 小时
report-col-samples = 样本数
report-col-min = 最小值
report-col-max = 最大值
report-col-mean = 平均值
report-col-raised = 触发时间
report-col-alarm = 报警
report-col-priority = 优先级
report-section-alarms = 报警
report-tag-no-alarm = 此时间范围内这些测点所属设备未触发报警。

report-lot-title = 批次履历 { $code }
report-lot-section = 批次 { $code }
report-lot-lot = 批次
report-lot-product = 产品
report-lot-started = 开始
report-lot-started-by = 开始人
report-lot-ended = 结束
report-lot-running = 进行中（截至目前的履历）
report-lot-ended-by = 结束人
report-lot-people = 人员
report-lot-parts-counted = 计数件数
report-lot-good-parts = 合格件数
report-lot-scrap-counted = 设备计数的废品
report-lot-no-figures = 该设备没有生产数据
report-lot-scrap-entered = 为该批次录入的废品
report-lot-fact = 项目
report-lot-value = 值
report-lot-no-material = 未向该批次发放物料。
report-lot-materials = 物料
report-lot-materials-used = 使用的物料
report-lot-time = 时间
report-lot-move = 移动
report-lot-material = 物料
report-lot-quantity = 数量
report-lot-material-lot = 物料批次
report-lot-supplier = 供应商
report-lot-supplier-lot = 供应商批次
report-lot-certificate = 证书
report-lot-by = 操作人
report-lot-checks = 检验
report-lot-checks-summary = { $checks } 次检验，{ $out } 次超出规格{ $waiting ->
        [0] {""}
       *[other] ，{ $waiting } 次仍待处置
    }。
report-lot-characteristic = 特性
report-lot-result = 结果
report-lot-spec = 规格
report-lot-in-spec = 合格
report-lot-disposition = 处置
report-lot-pass = 合格
report-lot-fail = 不合格
report-lot-yes = 是
report-lot-out-of-spec = 超出规格
report-lot-corrected-by = 已由 #{ $n } 更正
report-lot-disposition-by = { $disposition }，{ $by }：{ $comment }
report-lot-waiting = 待处置
report-lot-no-scrap = 未为该批次录入废品。
report-lot-comment = 备注
report-lot-no-states = 该设备没有生产数据，因此没有状态和停机。
report-lot-states-chart = 批次期间的设备状态
report-lot-no-stop = 批次期间无停机。
report-lot-still-stopped = 仍在停机
report-lot-no-reason = （无原因）
report-lot-micro-stops = 另有 { $count } 次微停机，共 { $seconds } 秒。
report-lot-states-stops = 状态和停机
report-lot-no-sample = { $label }：批次期间没有有效样本。
report-lot-trend = { $label }：批次期间的最小值、平均值和最大值
report-lot-no-trends = 该设备没有可显示的过程值测点。
report-lot-trends = { $machine } 的趋势
report-lot-spc = SPC：{ $name }
report-lot-spc-text = 该批次的测量值与控制限对比，控制限取自截至批次结束前 30 天内所有批次的测量值；Cp 和 Cpk 按该批次自身的值计算。

report-spc-title = SPC 报告：{ $name }
report-spc-of-product = { $product } 的 { $name }
report-spc-at-least = 至少 { $value }
report-spc-at-most = 至多 { $value }
report-spc-no-limits = 无限值
report-spc-rule = 规则
report-spc-pattern = 模式
report-spc-no-measurement = 此时间范围内没有 { $name } 的测量值。
report-spc-summary = { $name } 的 { $count } 个测量值（规格 { $spec }）
report-spc-summary-limits = { $summary }；控制限取自 { $baseline } 个基准值，测量于 { $from } – { $to }。
report-spc-summary-end = { $summary }。
report-spc-no-control-limits = 无控制限：{ $problem }。
report-spc-individuals = { $name }：单值
report-spc-moving-range = { $name }：移动极差
report-spc-individuals-limits = 单值：中心线、下控制限、上控制限
report-spc-moving-range-limits = 移动极差：中心线、上控制限
report-spc-sigma = 组内标准差（基准），{ $unit }
report-spc-not-computed = 未计算：至少需要两个不同的值
report-spc-limits-table = { $tag } 限值
report-spc-figure = 指标
report-spc-no-rule = 未违反任何西电规则（1 至 4）。
report-spc-rules-table = { $tag } 规则
report-spc-point = 点
report-spc-no-xbar-limits = 无均值-极差控制限：{ $problem }。
report-spc-xbar = { $name }：均值，每组 { $size } 个
report-spc-range = { $name }：极差，每组 { $size } 个
report-spc-xbar-rules-table = { $tag } 均值规则
report-spc-subgroup = 子组
report-spc-how = 计算方法：{ $how }
report-spc-limits-how = 控制限：{ $how }
report-spc-measurements = 测量值
report-spc-moving-range-col = 移动极差

## 导出到驱动器时的 MANIFEST.txt。

report-manifest-head =
    Plantlog 导出
    工厂：{ $plant }
    导出人：{ $by }
    导出时间：{ $at }（{ $zone }）
    时间范围：{ $from } – { $until }
report-manifest-files = 文件（名称、字节数、内容）：
report-manifest-part = { $what }（第 { $part } 部分，共 { $parts } 部分）
report-manifest-samples = { $tags } 的原始数据
report-manifest-config = 工厂配置
report-manifest-audit = 审计日志
