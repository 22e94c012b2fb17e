"""Levers and assumptions, declared as data (the way PolicyEngine declares parameters).

Adding a lever = one `Lever(...)` here + its formula in engine.py + its tests. Pages build their
widgets from these declarations; nothing about a lever is written out twice.

Every effect size has low / central / high. None comes from a controlled study (NOTES.md:
"All of this evidence is observational"), so every one is labelled an assumption, and its
`source` says what observation it is anchored on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MONTHS = tuple(range(1, 13))


@dataclass(frozen=True)
class Step:
    """A named point on a parameter's range (e.g. 'Huế: 40% cut')."""

    value: float
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Param:
    id: str  # unique across the model, "lever.param"
    label_vi: str
    label_en: str
    help_vi: str
    help_en: str
    unit: str
    min: float
    max: float
    step: float
    default: float  # every lever's default setting is "off"
    widget: str = "slider"  # slider | toggle | month | months
    steps: tuple[Step, ...] = ()
    monotone: bool = True  # raising it never lowers a share (start month is the exception)


@dataclass(frozen=True)
class Effect:
    """An uncertain effect size. Monte Carlo draws it from a triangular distribution on [low, high]."""

    id: str
    label_vi: str
    label_en: str
    unit: str
    low: float
    central: float
    high: float
    source_vi: str
    source_en: str
    assumption: bool = True


@dataclass(frozen=True)
class Lever:
    id: str
    group: str  # section 4 of the report: "a" (catalogue) or "b" (measures to raise uptake)
    kind: str  # structural | behaviour | mandatory | measurement | services
    label_vi: str
    label_en: str
    help_vi: str
    help_en: str
    formula_vi: str
    formula_en: str
    acts_on_vi: str
    acts_on_en: str
    params: tuple[Param, ...]
    effects: tuple[Effect, ...]
    main_param: str  # the setting that switches the lever on; goal seek and the heat map use it
    default_start_month: int = 1
    default_ramp_months: int = 0

    @property
    def start_param(self) -> str:
        return f"{self.id}.start_month"

    @property
    def ramp_param(self) -> str:
        return f"{self.id}.ramp_months"

    def timing_params(self) -> tuple[Param, Param]:
        return (
            Param(self.start_param, "Bắt đầu từ tháng", "Starts in month",
                  "Tháng trong năm kế hoạch mà biện pháp bắt đầu có hiệu lực.",
                  "The plan-year month in which the measure takes effect.",
                  "tháng", 1, 12, 1, self.default_start_month, widget="month", monotone=False),
            Param(self.ramp_param, "Số tháng để đạt đủ hiệu quả", "Months to full effect",
                  "0 = đủ hiệu quả ngay từ tháng bắt đầu; 3 = đạt 1/3, 2/3, rồi đủ.",
                  "0 = full effect from the start month; 3 = 1/3, 2/3, then full.",
                  "tháng", 0, 11, 1, self.default_ramp_months, widget="months", monotone=False),
        )

    def all_params(self) -> tuple[Param, ...]:
        return self.params + self.timing_params()


PCT = "%"

LEVERS: tuple[Lever, ...] = (
    Lever(
        id="commune_enable", group="b", kind="structural",
        label_vi="Triển khai DVCTT cấp xã ở các huyện chưa triển khai",
        label_en="Switch on commune-level online services in lagging districts",
        help_vi=("Đến 25/12/2022 còn 5/12 huyện chưa cung cấp DVCTT ở cấp xã (Mai Sơn, Vân Hồ, Sốp Cộp, Quỳnh Nhai, "
                 "Phù Yên). Trước khi bật, tỷ lệ trực tuyến ở cấp xã các huyện này bằng 0 vì không có dịch vụ."),
        help_en=("By 25/12/2022, 5 of 12 districts had no commune-level online services (Mai Sơn, Vân Hồ, Sốp Cộp, "
                 "Quỳnh Nhai, Phù Yên). Until switched on, their communes' online share is 0: there is no service."),
        formula_vi=("Tỷ lệ cấp xã = (phần xã đã bật theo lộ trình) × (mức tiếp nhận × hệ số hiện thực hóa), "
                    "sau đó các biện pháp khác tác động như với xã đã triển khai."),
        formula_en=("Commune share = (fraction of communes switched on, by the ramp) × (adoption × realisation); "
                    "the other levers then act as on deployed communes."),
        acts_on_vi="Cấp xã của các huyện được chọn", acts_on_en="Communes of the chosen districts",
        params=(
            Param("commune_enable.adoption_pct", "Mức tiếp nhận trực tuyến đạt được", "Online adoption reached",
                  "Tỷ lệ hồ sơ trực tuyến mà cấp xã các huyện này đạt được khi đã bật dịch vụ. "
                  "“Bình quân huyện bạn” và “huyện bạn tốt nhất” tính từ số liệu cấp xã của 7 huyện đã triển khai.",
                  "Online share the communes reach once services are on. 'Peer average' and 'best peer' are computed "
                  "from the commune data of the 7 districts already deployed.",
                  PCT, 0, 60, 0.1, 0.0),
        ),
        effects=(
            Effect("commune_enable.realisation", "Hệ số hiện thực hóa mức tiếp nhận", "Adoption realisation factor",
                   "×", 0.5, 1.0, 1.3,
                   "Giả định. Cấp xã các huyện đã triển khai dao động từ 0% (Bắc Yên) đến 10,90% (Mộc Châu).",
                   "Assumption. Deployed districts' communes range from 0% (Bắc Yên) to 10.90% (Mộc Châu)."),
        ),
        main_param="commune_enable.adoption_pct", default_start_month=3, default_ramp_months=3,
    ),
    Lever(
        id="fee_cut", group="b", kind="behaviour",
        label_vi="Giảm phí, lệ phí khi nộp trực tuyến", label_en="Cut fees and charges for online submission",
        help_vi="Mức giảm phí, lệ phí cho hồ sơ nộp trực tuyến so với nộp giấy (100% = miễn phí).",
        help_en="How much cheaper an online submission is than paper (100% = free).",
        formula_vi="Dịch chuyển log-odds = hệ số × mức giảm/100, cộng với các biện pháp hành vi khác.",
        formula_en="Log-odds shift = coefficient × cut/100, added to the other behavioural shifts.",
        acts_on_vi="Mọi đơn vị đã có DVCTT", acts_on_en="Every unit with online services",
        params=(
            Param("fee_cut.cut_pct", "Mức giảm phí trực tuyến", "Online fee cut",
                  "Huế thu 60% mức phí (giảm 40%) từ 2023; Hải Dương giảm 50%; Nghệ An miễn phí từ 2025.",
                  "Huế charges 60% (a 40% cut) from 2023; Hải Dương 50%; Nghệ An free from 2025.",
                  PCT, 0, 100, 5, 0.0,
                  steps=(Step(40, "Như Huế (40%)", "As Huế (40%)"), Step(50, "Như Hải Dương (50%)", "As Hải Dương (50%)"),
                         Step(100, "Miễn phí (Nghệ An)", "Free (Nghệ An)"))),
        ),
        effects=(
            Effect("fee_cut.logodds_full_cut", "Tác động của miễn phí hoàn toàn", "Effect of a full fee cut",
                   "log-odds", 0.5, 1.0, 2.0,
                   "Giả định, dựa trên Huế: giảm 40% đi kèm +11,8 điểm cấp tỉnh (≈ +0,79 log-odds) và ≈ +25 điểm cấp xã "
                   "(≈ +1,0) năm 2024, tức ≈ 2,0–2,5 cho mức miễn phí; cùng lúc có nhiều biện pháp khác nên lấy 1,0 làm trung tâm.",
                   "Assumption anchored on Huế: a 40% cut came with +11.8 points provincially (≈ +0.79 log-odds) and ≈ +25 "
                   "points at commune level (≈ +1.0) in 2024, i.e. ≈ 2.0–2.5 per full cut; other measures ran at the same "
                   "time, so the central value is 1.0."),
        ),
        main_param="fee_cut.cut_pct",
    ),
    Lever(
        id="paper_stop", group="b", kind="mandatory",
        label_vi="Dừng tiếp nhận hồ sơ giấy với thủ tục ít thành phần", label_en="Stop paper intake for simple procedures",
        help_vi=("Thí điểm không tiếp nhận hồ sơ giấy với một số dịch vụ ít thành phần hồ sơ. Chọn tỷ lệ hồ sơ thuộc diện "
                 "áp dụng ở từng khối."),
        help_en=("Pilot: no paper intake for some services with few dossier components. Choose the share of dossiers "
                 "covered in each block."),
        formula_vi="Sau các biện pháp hành vi: tỷ lệ + (1 − tỷ lệ) × phần hồ sơ thuộc diện × mức tuân thủ.",
        formula_en="After the behavioural levers: share + (1 − share) × covered share × compliance.",
        acts_on_vi="Khối sở; UBND cấp huyện; cấp xã (đã có DVCTT)",
        acts_on_en="Departments; district offices; communes (with online services)",
        params=(
            Param("paper_stop.department_pct", "Phần hồ sơ thuộc diện — khối sở", "Covered share — departments",
                  "Tỷ lệ hồ sơ của khối sở thuộc các thủ tục dừng nhận giấy.",
                  "Share of department dossiers in procedures that stop paper intake.", PCT, 0, 100, 5, 0.0),
            Param("paper_stop.district_pct", "Phần hồ sơ thuộc diện — UBND cấp huyện", "Covered share — district offices",
                  "Tỷ lệ hồ sơ tại UBND cấp huyện thuộc các thủ tục dừng nhận giấy.",
                  "Share of district-office dossiers in procedures that stop paper intake.", PCT, 0, 100, 5, 0.0),
            Param("paper_stop.commune_pct", "Phần hồ sơ thuộc diện — cấp xã", "Covered share — communes",
                  "Tỷ lệ hồ sơ cấp xã thuộc các thủ tục dừng nhận giấy (chỉ nơi đã có DVCTT).",
                  "Share of commune dossiers in procedures that stop paper intake (only where services exist).",
                  PCT, 0, 100, 5, 0.0),
        ),
        effects=(
            Effect("paper_stop.compliance", "Mức tuân thủ (hồ sơ thực sự chuyển sang trực tuyến)",
                   "Compliance (dossiers that really move online)", "tỷ lệ", 0.6, 0.8, 0.95,
                   "Giả định. TP Hồ Chí Minh dừng tiếp nhận trực tiếp từ 1/4/2020; Chỉ thị 24/CT-TTg bỏ thành phần giấy "
                   "cho 25 dịch vụ từ 1/10/2025. Không có số đo về mức tuân thủ.",
                   "Assumption. Hồ Chí Minh City stopped in-person intake from 1/4/2020; Directive 24/CT-TTg removed paper "
                   "components for 25 services from 1/10/2025. No measured compliance rate."),
        ),
        main_param="paper_stop.commune_pct",
    ),
    Lever(
        id="processing_time", group="b", kind="behaviour",
        label_vi="Rút ngắn thời gian xử lý hồ sơ trực tuyến", label_en="Faster processing of online dossiers",
        help_vi="Rút ngắn thời gian giải quyết hồ sơ nộp trực tuyến so với hồ sơ giấy, tính theo %.",
        help_en="How much faster online dossiers are processed than paper ones, in %.",
        formula_vi="Dịch chuyển log-odds = hệ số × mức rút ngắn/50.",
        formula_en="Log-odds shift = coefficient × reduction/50.",
        acts_on_vi="Mọi đơn vị đã có DVCTT", acts_on_en="Every unit with online services",
        params=(
            Param("processing_time.reduction_pct", "Mức rút ngắn thời gian xử lý", "Processing time reduction",
                  "Mô hình “5 tại chỗ” của Sơn La rút ngắn 25–50% ở một số lĩnh vực.",
                  "Sơn La's 'five on the spot' model cut 25–50% in some fields.", PCT, 0, 50, 5, 0.0,
                  steps=(Step(25, "25% (“5 tại chỗ”, mức thấp)", "25% ('five on the spot', low)"),
                         Step(50, "50% (“5 tại chỗ”, mức cao)", "50% ('five on the spot', high)"))),
        ),
        effects=(
            Effect("processing_time.logodds_half_time", "Tác động của rút ngắn 50%", "Effect of a 50% reduction",
                   "log-odds", 0.05, 0.2, 0.4,
                   "Giả định. Mô hình “5 tại chỗ” rút ngắn 25–50% thời gian nhưng không có báo cáo về tác động đến tỷ lệ trực tuyến.",
                   "Assumption. 'Five on the spot' cut processing time 25–50%; no link to online uptake was reported."),
        ),
        main_param="processing_time.reduction_pct",
    ),
    Lever(
        id="guidance", group="b", kind="behaviour",
        label_vi="Hướng dẫn, hỗ trợ người dân", label_en="Guidance and support",
        help_vi=("Trợ lý ảo hướng dẫn; cán bộ bộ phận một cửa hỗ trợ người dân nộp trực tuyến; chuẩn hóa và nâng cao "
                 "trải nghiệm người dùng."),
        help_en="A virtual assistant; one-stop-shop staff helping citizens submit online; user-experience standards.",
        formula_vi="Dịch chuyển log-odds = hệ số trợ lý ảo × bật + hệ số hỗ trợ × độ phủ/100 + hệ số trải nghiệm × bật.",
        formula_en="Log-odds shift = assistant coef × on + staff-help coef × coverage/100 + UX coef × on.",
        acts_on_vi="Mọi đơn vị đã có DVCTT", acts_on_en="Every unit with online services",
        params=(
            Param("guidance.assistant_on", "Trợ lý ảo hướng dẫn", "Virtual assistant",
                  "Bật trợ lý ảo hướng dẫn người dân sử dụng DVCTT.", "A virtual assistant guiding citizens online.",
                  "bật/tắt", 0, 1, 1, 0.0, widget="toggle"),
            Param("guidance.staff_help_pct", "Độ phủ hỗ trợ tại bộ phận một cửa", "One-stop-shop staff help coverage",
                  "Tỷ lệ bộ phận một cửa có cán bộ hướng dẫn, hỗ trợ người dân nộp trực tuyến.",
                  "Share of one-stop shops with staff who help citizens submit online.", PCT, 0, 100, 10, 0.0),
            Param("guidance.ux_on", "Chuẩn hóa trải nghiệm người dùng", "User-experience standards",
                  "Chuẩn hóa, nâng cao trải nghiệm người dùng trên Cổng DVC.", "Standardised, improved user experience.",
                  "bật/tắt", 0, 1, 1, 0.0, widget="toggle"),
        ),
        effects=(
            Effect("guidance.logodds_assistant", "Tác động của trợ lý ảo", "Effect of the virtual assistant",
                   "log-odds", 0.0, 0.1, 0.3, "Giả định; chưa có số đo.", "Assumption; nothing measured."),
            Effect("guidance.logodds_staff_help", "Tác động của hỗ trợ tại một cửa (độ phủ 100%)",
                   "Effect of one-stop-shop help (full coverage)", "log-odds", 0.3, 0.8, 1.5,
                   "Giả định, dựa trên Điện Biên sau 7/2025: xã Mường Mùn 891/976 hồ sơ trực tuyến (≈ 91%), phường Điện "
                   "Biên Phủ 2.387/5.780 (≈ 41%) với hỗ trợ nộp tại chỗ.",
                   "Assumption anchored on Điện Biên after 7/2025: Mường Mùn commune 891/976 online (≈ 91%), Điện Biên Phủ "
                   "ward 2,387/5,780 (≈ 41%) with assisted submission."),
            Effect("guidance.logodds_ux", "Tác động của chuẩn hóa trải nghiệm", "Effect of UX standards",
                   "log-odds", 0.05, 0.15, 0.3, "Giả định; chưa có số đo.", "Assumption; nothing measured."),
        ),
        main_param="guidance.staff_help_pct",
    ),
    Lever(
        id="unit_targets", group="b", kind="behaviour",
        label_vi="Giao chỉ tiêu gắn trách nhiệm người đứng đầu", label_en="Unit targets tied to heads' accountability",
        help_vi=("Giao chỉ tiêu tỷ lệ hồ sơ trực tuyến cho từng đơn vị, xã, gắn với trách nhiệm người đứng đầu "
                 "(Công văn 3109/BTTTT-CĐSQG cũng khuyến nghị). Mỗi đơn vị thu hẹp một phần khoảng cách tới chỉ tiêu."),
        help_en=("Assign each unit and commune an online-share target tied to its head's accountability (also urged by "
                 "dispatch 3109/BTTTT-CĐSQG). Each unit closes part of its gap to the target."),
        formula_vi=("Sau các biện pháp hành vi khác: log-odds + phần khoảng cách được thu hẹp × hiệu quả × "
                    "max(0, log-odds chỉ tiêu − log-odds hiện tại)."),
        formula_en=("After the other behavioural levers: log-odds + gap fraction × effectiveness × "
                    "max(0, target log-odds − current log-odds)."),
        acts_on_vi="Mọi đơn vị đã có DVCTT, dưới chỉ tiêu", acts_on_en="Every unit with online services, below its target",
        params=(
            Param("unit_targets.gap_closed_pct", "Phần khoảng cách tới chỉ tiêu cần thu hẹp", "Share of the gap to close",
                  "Mỗi đơn vị được yêu cầu thu hẹp bao nhiêu phần khoảng cách tới chỉ tiêu được giao trong năm.",
                  "How much of its gap to the assigned target each unit is asked to close within the year.",
                  PCT, 0, 100, 5, 0.0),
            Param("unit_targets.department_target_pct", "Chỉ tiêu giao cho sở, ban, ngành", "Target assigned to departments",
                  "Mặc định theo Quyết định 1434/QĐ-UBND (18/7/2022): 80%.", "Default from Decision 1434 (18/7/2022): 80%.",
                  PCT, 10, 100, 5, 80.0),
            Param("unit_targets.local_target_pct", "Chỉ tiêu giao cho huyện, xã", "Target assigned to districts and communes",
                  "Mặc định theo Quyết định 1434/QĐ-UBND (18/7/2022): 50%.", "Default from Decision 1434 (18/7/2022): 50%.",
                  PCT, 10, 100, 5, 50.0),
        ),
        effects=(
            Effect("unit_targets.effectiveness", "Hiệu quả thực hiện chỉ tiêu", "Target effectiveness", "tỷ lệ", 0.2, 0.4, 0.7,
                   "Giả định. Năm 2022 Sơn La đã giao chỉ tiêu (QĐ 1434: 80%/50%) nhưng khối huyện chỉ đạt 5,30%.",
                   "Assumption. Sơn La assigned targets in 2022 (Decision 1434: 80%/50%) yet the district block reached 5.30%."),
        ),
        main_param="unit_targets.gap_closed_pct",
    ),
    Lever(
        id="ministry_connect", group="b", kind="measurement",
        label_vi="Kết nối hệ thống do bộ, ngành triển khai", label_en="Connect ministry-run systems",
        help_vi=("Một số DVCTT của Sở Giao thông vận tải, Sở Kế hoạch và Đầu tư, Sở Tài chính triển khai từ cấp bộ chưa "
                 "kết nối vào hệ thống của tỉnh, nên hồ sơ trực tuyến của họ chưa được đếm. Đây là hiệu chỉnh đo lường, "
                 "không phải thay đổi hành vi."),
        help_en=("Some online services of Transport, Planning and Investment and Finance run on ministry systems not "
                 "connected to the province's, so their online dossiers are not counted. This corrects measurement; it "
                 "does not change behaviour."),
        formula_vi="Sau cùng: tỷ lệ + max(0, tỷ lệ thực − tỷ lệ) × mức kết nối.",
        formula_en="Last: share + max(0, true share − share) × connected fraction.",
        acts_on_vi="Các sở có hệ thống bộ chưa kết nối (theo dữ liệu)", acts_on_en="Departments flagged in the data as unconnected",
        params=(
            Param("ministry_connect.connected_pct", "Mức kết nối", "Share connected",
                  "Tỷ lệ dịch vụ chạy trên hệ thống bộ được kết nối, đếm vào hệ thống của tỉnh.",
                  "Share of ministry-run services connected and counted by the province's system.", PCT, 0, 100, 10, 0.0),
        ),
        effects=(
            Effect("ministry_connect.true_share", "Tỷ lệ trực tuyến thực trên hệ thống bộ", "True online share on ministry systems",
                   "tỷ lệ", 0.10, 0.25, 0.50,
                   "Giả định; báo cáo chỉ nói kết quả “mới chỉ phản ánh một cách tương đối thực trạng”.",
                   "Assumption; the report only says its results reflect the situation 'relatively'."),
        ),
        main_param="ministry_connect.connected_pct",
    ),
    Lever(
        id="catalogue", group="a", kind="services",
        label_vi="Rà soát, công bố danh mục DVCTT toàn trình và xây dựng", label_en="Publish the catalogue and build full-process services",
        help_vi=("Rà soát thủ tục, công bố danh mục DVCTT toàn trình và một phần; bố trí kinh phí xây dựng 100% DVCTT toàn "
                 "trình đã công bố. Nâng chỉ tiêu thứ hai của báo cáo: tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến (67,37%)."),
        help_en=("Review procedures, publish the full-process and partial catalogue, fund building all published "
                 "full-process services. Raises the report's other KPI, services receiving online dossiers (67.37%)."),
        formula_vi=("Tỷ lệ DVCTT có hồ sơ trực tuyến = 67,37% + (1 − 67,37%) × mức xây dựng × hiệu quả; "
                    "hồ sơ: dịch chuyển log-odds = hệ số × mức xây dựng."),
        formula_en=("Services share = 67.37% + (1 − 67.37%) × built × effectiveness; dossiers: log-odds shift = "
                    "coefficient × built."),
        acts_on_vi="Chỉ tiêu dịch vụ cấp tỉnh; mọi đơn vị đã có DVCTT", acts_on_en="Province services KPI; every unit with services",
        params=(
            Param("catalogue.built_pct", "Mức xây dựng DVCTT toàn trình đã công bố", "Share of published full-process services built",
                  "Bao nhiêu phần trăm DVCTT toàn trình đã công bố được bố trí kinh phí và xây dựng xong.",
                  "How much of the published full-process catalogue is funded and built.", PCT, 0, 100, 10, 0.0),
        ),
        effects=(
            Effect("catalogue.services_effect", "Phần khoảng cách chỉ tiêu dịch vụ được thu hẹp",
                   "Share of the services-KPI gap closed", "tỷ lệ", 0.2, 0.4, 0.6,
                   "Giả định. Một dịch vụ được xây dựng chưa chắc đã có người nộp.",
                   "Assumption. A built service does not guarantee any online dossier."),
            Effect("catalogue.logodds_dossiers", "Tác động lên tỷ lệ hồ sơ", "Effect on the dossier share",
                   "log-odds", 0.0, 0.1, 0.3, "Giả định.", "Assumption."),
        ),
        main_param="catalogue.built_pct",
    ),
)

LEVER_BY_ID = {lever.id: lever for lever in LEVERS}
PARAM_BY_ID = {p.id: p for lever in LEVERS for p in lever.all_params()}
LEVER_OF_PARAM = {p.id: lever.id for lever in LEVERS for p in lever.all_params()}


@dataclass(frozen=True)
class Assumption:
    id: str
    label_vi: str
    label_en: str
    help_vi: str
    help_en: str
    unit: str
    min: float
    max: float
    step: float
    default: float
    source_vi: str
    source_en: str
    assumption: bool = True
    choices: tuple[tuple[str, str, str], ...] = field(default=())  # (value, label_vi, label_en)
    # Half-width of the triangular distribution Monte Carlo draws around the chosen value (0 = fixed).
    uncertainty: float = 0.0
    # (low, high) used when ranking sensitivity; defaults to (min, max).
    sensitivity_range: tuple[float, float] | None = None


START_POINTS = ("annual_2022", "december_run_rate")

ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption("start_point", "Điểm xuất phát", "Starting point",
               "Tỷ lệ của từng đơn vị khi bắt đầu năm kế hoạch.", "Each unit's share at the start of the plan year.",
               "", 0, 1, 1, 0,
               "Báo cáo 01/CĐS; cách suy ra tốc độ tháng 12 xem trang Giả định & dữ liệu.",
               "Report 01/CĐS; the run-rate derivation is on the Assumptions & data page.", assumption=True,
               choices=(("annual_2022", "Tỷ lệ cả năm 2022 (như báo cáo)", "2022 annual shares (as reported)"),
                        ("december_run_rate", "Tốc độ riêng tháng 12/2022 (suy ra)", "December 2022 run-rate (derived)"))),
    Assumption("momentum_logodds_per_year", "Đà tăng tự nhiên (không có biện pháp mới)", "Status-quo momentum",
               "Mức tăng log-odds mỗi năm của mọi đơn vị đã có DVCTT khi không có biện pháp mới. 0 = giữ nguyên.",
               "Yearly log-odds drift of every unit with services when no lever moves. 0 = flat.",
               "log-odds/năm", -0.5, 1.0, 0.05, 0.2,
               "Giả định. Tham chiếu: khối tỉnh cả nước tăng từ 9% (cuối 2023) lên 18,54% (cuối 2024), ≈ +0,83 log-odds, "
               "nhưng có nhiều biện pháp mới; lấy 0,2 là đà tăng khiêm tốn.",
               "Assumption. Reference: provinces nationally went from 9% (end-2023) to 18.54% (end-2024), ≈ +0.83 "
               "log-odds, but with many new measures; 0.2 is a modest drift.",
               uncertainty=0.2, sensitivity_range=(0.0, 0.5)),
    Assumption("responsive_floor_pct", "Mức sàn khi tính tác động", "Responsive floor",
               "Đơn vị đã có DVCTT nhưng tỷ lệ gần 0 (như cấp xã Bắc Yên) được tính tác động như thể có tỷ lệ sàn này.",
               "Units with services but a share near 0 (Bắc Yên's communes) respond to levers as if at this floor share.",
               PCT, 0.1, 5.0, 0.1, 1.0,
               "Giả định: không có nó, một đơn vị 0% sẽ không bao giờ tăng theo tỷ lệ odds.",
               "Assumption: without it a unit at 0% could never move under an odds ratio.",
               sensitivity_range=(0.5, 2.0)),
    Assumption("volume_growth_pct", "Tăng trưởng số hồ sơ", "Dossier volume growth",
               "Số hồ sơ mỗi tháng = 1/12 tổng năm 2022 × (1 + tăng trưởng × tháng/12). Chỉ đổi số hồ sơ, gần như không đổi tỷ lệ.",
               "Monthly dossiers = 1/12 of 2022 × (1 + growth × month/12). Changes counts, hardly the shares.",
               "%/năm", -20, 30, 1, 0.0, "Giả định.", "Assumption."),
    Assumption("seasonality_amplitude_pct", "Biên độ mùa vụ (thấp nhất tháng 2)", "Seasonality amplitude (low in February)",
               "Số hồ sơ mỗi tháng nhân với 1 − biên độ × cos(2π(tháng − 2)/12); trung bình năm không đổi.",
               "Monthly dossiers × (1 − amplitude × cos(2π(month − 2)/12)); the yearly mean is unchanged.",
               PCT, 0, 30, 1, 0.0, "Giả định (Tết thường rơi vào tháng 1–2).", "Assumption (Tết usually falls in January–February)."),
)
ASSUMPTION_BY_ID = {a.id: a for a in ASSUMPTIONS}

EFFECTS: tuple[Effect, ...] = tuple(e for lever in LEVERS for e in lever.effects)
EFFECT_BY_ID = {e.id: e for e in EFFECTS}
LEVER_OF_EFFECT = {e.id: lever.id for lever in LEVERS for e in lever.effects}

# Section 4 grouping for the pages.
GROUPS = {
    "a": ("a) Rà soát, công bố danh mục và xây dựng DVCTT toàn trình", "a) Review, publish and build full-process services"),
    "b": ("b) Các giải pháp nâng cao hiệu quả cung cấp DVCTT", "b) Measures to raise uptake of online services"),
}
