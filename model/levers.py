"""Levers and assumptions, declared as data (the way PolicyEngine declares parameters).

A lever is one `Lever(...)` declaration: its settings (`Param`), its uncertain effect sizes
(`Effect`) and its engine terms (`terms`). Each term is of a kind the engine already knows
(`LogOddsShift`, `GapClosing`, `ChannelSwitch`, `StructuralSwitch`, `MeasurementCorrection`,
`ServicesShare`, `PaymentShare`); the engine dispatches on the kind, the pages build their widgets from the
params, and the formula text on the Assumptions page is generated from the terms. So a new lever
whose terms are of existing kinds is one declaration plus its tests: no page or engine edit
(tests/test_lever_declaration.py declares a throw-away lever to prove it).

Every effect size has low / central / high. None comes from a controlled study (docs/sources.md:
"All of this evidence is observational"), so every one is labelled an assumption, and its
`source` says what observation it is anchored on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

MONTHS = tuple(range(1, 13))
PCT = "%"


@dataclass(frozen=True, kw_only=True)
class Step:
    """A named point on a parameter's range (e.g. 'Huế: 40% cut')."""

    value: float
    label_vi: str
    label_en: str


@dataclass(frozen=True, kw_only=True)
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
    default: float  # a lever's switching settings default to "off"
    unit_en: str | None = None  # when the English unit differs ("tháng" / "months")
    widget: str = "slider"  # slider | toggle | month | months
    steps: tuple[Step, ...] = ()
    monotone: bool = True  # raising it never lowers a share (start month is the exception)
    switches: bool = True  # a value other than the default switches the lever on (compliance does not)

    @property
    def integer(self) -> bool:
        """Months and toggles take whole values only (a link or a file with 3.7 is refused)."""
        return self.widget in ("toggle", "month", "months")

    def unit_in(self, lang: str) -> str:
        return self.unit_en if lang == "en" and self.unit_en is not None else self.unit


@dataclass(frozen=True, kw_only=True)
class Effect:
    """An uncertain effect size. Monte Carlo draws it on [low, high] around its central value; a
    scenario may set another central value inside that range (outside it only when the scenario
    is marked "outside the evidence")."""

    id: str
    label_vi: str
    label_en: str
    unit: str
    low: float
    central: float
    high: float
    source_vi: str
    source_en: str
    unit_en: str | None = None
    assumption: bool = True

    def unit_in(self, lang: str) -> str:
        return self.unit_en if lang == "en" and self.unit_en is not None else self.unit


# ---------------------------------------------------------------- engine terms, by kind
# The engine applies the kinds in this fixed order (engine.py explains why it keeps every share
# in [0, 1] and never lets one fall when a setting rises): structural switch → log-odds shifts
# (summed) → gap closing → channel switch → measurement correction. ServicesShare acts on the
# services KPI only, PaymentShare on the online-payment share (a Decision 766 indicator) only.


@dataclass(frozen=True, kw_only=True)
class LogOddsShift:
    """Behavioural: log-odds of every unit with services += effect × setting / full_at."""

    kind: ClassVar[str] = "logodds"
    effect: str
    setting: str
    full_at: float  # the setting at which the whole effect applies (100 for a percentage, 1 for a toggle)


@dataclass(frozen=True, kw_only=True)
class GapClosing:
    """Each unit below its target (the active target set) closes `setting` % of its gap to it,
    in share points: share + setting/100 × max(0, target − share)."""

    kind: ClassVar[str] = "gap_closing"
    setting: str


@dataclass(frozen=True, kw_only=True)
class ChannelSwitch:
    """Mandatory channel: share + (1 − share) × covered/100 × compliance/100, with `covered` one
    setting per segment kind (department, district_office, commune)."""

    kind: ClassVar[str] = "channel"
    covered: tuple[tuple[str, str], ...]  # (segment kind, param id)
    compliance: str


@dataclass(frozen=True, kw_only=True)
class StructuralSwitch:
    """Structural zeros (communes without services) get adoption × realisation once switched on,
    for the switched-on fraction of the chosen districts. The adoption may be set to a reference
    value measured from the data (peer average, best peer)."""

    kind: ClassVar[str] = "structural"
    adoption: str
    realisation: str


@dataclass(frozen=True, kw_only=True)
class MeasurementCorrection:
    """Counting, not behaviour: measured share + max(0, true − share) × connected/100 on the
    segments the data flags. Reported apart from the behavioural headline ("đo được")."""

    kind: ClassVar[str] = "measurement"
    connected: str
    true_share: str


@dataclass(frozen=True, kw_only=True)
class ServicesShare:
    """The services KPI: kpi0 + (1 − kpi0) × setting/100 × effect."""

    kind: ClassVar[str] = "services"
    setting: str
    effect: str


@dataclass(frozen=True, kw_only=True)
class PaymentShare:
    """The online-payment share (dossiers paid online ÷ dossiers with a fee, a Decision 766 indicator):
    last value + (1 − last value) × setting/100 × effect. It moves no dossier share."""

    kind: ClassVar[str] = "payment"
    setting: str
    effect: str


Term = LogOddsShift | GapClosing | ChannelSwitch | StructuralSwitch | MeasurementCorrection | ServicesShare | PaymentShare


@dataclass(frozen=True, kw_only=True)
class Lever:
    id: str
    group: str  # section 4 of the report: "a" (catalogue) or "b" (measures to raise uptake)
    label_vi: str
    label_en: str
    help_vi: str
    help_en: str
    acts_on_vi: str
    acts_on_en: str
    params: tuple[Param, ...]
    effects: tuple[Effect, ...]
    terms: tuple[Term, ...]
    main_param: str  # the setting that switches the lever on; goal seek and the heat map use it
    default_start_month: int = 1
    default_ramp_months: int = 0

    @property
    def kind(self) -> str:
        """What the lever changes: 'measurement' (counting only) is reported apart; the rest is behaviour."""
        kinds = {t.kind for t in self.terms}
        return "measurement" if kinds == {"measurement"} else ("structural" if "structural" in kinds else "behaviour")

    @property
    def start_param(self) -> str:
        return f"{self.id}.start_month"

    @property
    def ramp_param(self) -> str:
        return f"{self.id}.ramp_months"

    def timing_params(self) -> tuple[Param, Param]:
        return (
            Param(
                id=self.start_param,
                label_vi="Bắt đầu từ tháng",
                label_en="Starts in month",
                help_vi="Tháng trong năm kế hoạch mà biện pháp bắt đầu có hiệu lực.",
                help_en="The plan-year month in which the measure takes effect.",
                unit="tháng",
                unit_en="month",
                min=1,
                max=12,
                step=1,
                default=self.default_start_month,
                widget="month",
                monotone=False,
                switches=False,
            ),
            Param(
                id=self.ramp_param,
                label_vi="Số tháng để đạt đủ hiệu quả",
                label_en="Months to full effect",
                help_vi="0 = đủ hiệu quả ngay từ tháng bắt đầu; 3 = đạt 1/3, 2/3, rồi đủ.",
                help_en="0 = full effect from the start month; 3 = 1/3, 2/3, then full.",
                unit="tháng",
                unit_en="months",
                min=0,
                max=11,
                step=1,
                default=self.default_ramp_months,
                widget="months",
                monotone=False,
                switches=False,
            ),
        )

    def all_params(self) -> tuple[Param, ...]:
        return self.params + self.timing_params()

    def terms_of(self, kind: type) -> list:
        return [t for t in self.terms if isinstance(t, kind)]


LEVERS: tuple[Lever, ...] = (
    Lever(
        id="commune_enable",
        group="b",
        label_vi="Triển khai DVCTT cấp xã ở các huyện chưa triển khai",
        label_en="Switch on commune-level online services in lagging districts",
        help_vi=(
            "Đến 25/12/2022 còn 5/12 huyện chưa cung cấp DVCTT ở cấp xã (Mai Sơn, Vân Hồ, Sốp Cộp, Quỳnh Nhai, "
            "Phù Yên). Trước khi bật, tỷ lệ trực tuyến ở cấp xã các huyện này bằng 0 vì không có dịch vụ."
        ),
        help_en=(
            "By 25/12/2022, 5 of 12 districts had no commune-level online services (Mai Sơn, Vân Hồ, Sốp Cộp, "
            "Quỳnh Nhai, Phù Yên). Until switched on, their communes' online share is 0: there is no service."
        ),
        acts_on_vi="Cấp xã của các huyện được chọn",
        acts_on_en="Communes of the chosen districts",
        params=(
            Param(
                id="commune_enable.adoption_pct",
                label_vi="Mức tiếp nhận trực tuyến đạt được",
                label_en="Online adoption reached",
                help_vi=(
                    "Tỷ lệ hồ sơ trực tuyến mà cấp xã các huyện này đạt được khi đã bật dịch vụ. "
                    "“Bình quân huyện bạn” và “huyện bạn tốt nhất” tính từ số liệu cấp xã của 7 huyện đã triển khai. "
                    "Tối đa 60%: đã gấp hơn 5 lần mức cao nhất mà cấp xã một huyện đạt được (10,90%, Mộc Châu); "
                    "cao hơn nữa là ngoài mọi số liệu đã có, mô hình không có căn cứ để dự báo."
                ),
                help_en=(
                    "Online share the communes reach once services are on. 'Peer average' and 'best peer' are "
                    "computed from the commune data of the 7 districts already deployed. "
                    "At most 60%: already over 5 times the highest share any district's communes reached (10.90%, "
                    "Mộc Châu); beyond it lies outside all the data, and the model has no ground to project it."
                ),
                unit=PCT,
                min=0,
                max=60,
                step=0.1,
                default=0.0,
            ),
        ),
        effects=(
            Effect(
                id="commune_enable.realisation",
                label_vi="Hệ số hiện thực hóa mức tiếp nhận",
                label_en="Adoption realisation factor",
                unit="×",
                low=0.5,
                central=1.0,
                high=1.3,
                source_vi="Giả định. Cấp xã các huyện đã triển khai dao động từ 0% (Bắc Yên) đến 10,90% (Mộc Châu).",
                source_en="Assumption. Deployed districts' communes range from 0% (Bắc Yên) to 10.90% (Mộc Châu).",
            ),
        ),
        terms=(StructuralSwitch(adoption="commune_enable.adoption_pct", realisation="commune_enable.realisation"),),
        main_param="commune_enable.adoption_pct",
        default_start_month=3,
        default_ramp_months=3,
    ),
    Lever(
        id="fee_cut",
        group="b",
        label_vi="Giảm phí, lệ phí khi nộp trực tuyến",
        label_en="Cut fees and charges for online submission",
        help_vi="Mức giảm phí, lệ phí cho hồ sơ nộp trực tuyến so với nộp giấy (100% = miễn phí).",
        help_en="How much cheaper an online submission is than paper (100% = free).",
        acts_on_vi="Mọi đơn vị đã có DVCTT",
        acts_on_en="Every unit with online services",
        params=(
            Param(
                id="fee_cut.cut_pct",
                label_vi="Mức giảm phí trực tuyến",
                label_en="Online fee cut",
                help_vi="Huế thu 60% mức phí (giảm 40%) từ 2023; Hải Dương giảm 50%; Nghệ An miễn phí từ 2025.",
                help_en="Huế charges 60% (a 40% cut) from 2023; Hải Dương 50%; Nghệ An free from 2025.",
                unit=PCT,
                min=0,
                max=100,
                step=5,
                default=0.0,
                steps=(
                    Step(value=40, label_vi="Như Huế (40%)", label_en="As Huế (40%)"),
                    Step(value=50, label_vi="Như Hải Dương (50%)", label_en="As Hải Dương (50%)"),
                    Step(value=100, label_vi="Miễn phí (Nghệ An)", label_en="Free (Nghệ An)"),
                ),
            ),
        ),
        effects=(
            Effect(
                id="fee_cut.logodds_full_cut",
                label_vi="Tác động của miễn phí hoàn toàn",
                label_en="Effect of a full fee cut",
                unit="log-odds",
                low=0.5,
                central=1.0,
                high=2.0,
                source_vi=(
                    "Giả định, dựa trên Huế: giảm 40% đi kèm +11,8 điểm cấp tỉnh (≈ +0,79 log-odds) và ≈ +25 "
                    "điểm cấp xã (≈ +1,0) năm 2024, tức ≈ 2,0–2,5 cho mức miễn phí; cùng lúc có nhiều biện pháp "
                    "khác nên lấy 1,0 làm trung tâm."
                ),
                source_en=(
                    "Assumption anchored on Huế: a 40% cut came with +11.8 points provincially (≈ +0.79 "
                    "log-odds) and ≈ +25 points at commune level (≈ +1.0) in 2024, i.e. ≈ 2.0–2.5 per full cut; "
                    "other measures ran at the same time, so the central value is 1.0."
                ),
            ),
        ),
        terms=(LogOddsShift(effect="fee_cut.logodds_full_cut", setting="fee_cut.cut_pct", full_at=100),),
        main_param="fee_cut.cut_pct",
    ),
    Lever(
        id="paper_stop",
        group="b",
        label_vi="Dừng tiếp nhận hồ sơ giấy với thủ tục ít thành phần",
        label_en="Stop paper intake for simple procedures",
        help_vi=(
            "Thí điểm không tiếp nhận hồ sơ giấy với một số dịch vụ ít thành phần hồ sơ. Chọn tỷ lệ hồ sơ thuộc diện "
            "áp dụng ở từng khối và mức tuân thủ (phần hồ sơ thuộc diện thực sự chuyển sang trực tuyến)."
        ),
        help_en=(
            "Pilot: no paper intake for some services with few dossier components. Choose the share of dossiers "
            "covered in each block, and the compliance (the covered dossiers that really move online)."
        ),
        acts_on_vi="Khối sở; UBND cấp huyện; cấp xã (đã có DVCTT)",
        acts_on_en="Departments; district offices; communes (with online services)",
        params=(
            Param(
                id="paper_stop.department_pct",
                label_vi="Phần hồ sơ thuộc diện — khối sở",
                label_en="Covered share — departments",
                help_vi="Tỷ lệ hồ sơ của khối sở thuộc các thủ tục dừng nhận giấy.",
                help_en="Share of department dossiers in procedures that stop paper intake.",
                unit=PCT,
                min=0,
                max=100,
                step=5,
                default=0.0,
            ),
            Param(
                id="paper_stop.district_pct",
                label_vi="Phần hồ sơ thuộc diện — UBND cấp huyện",
                label_en="Covered share — district offices",
                help_vi="Tỷ lệ hồ sơ tại UBND cấp huyện thuộc các thủ tục dừng nhận giấy.",
                help_en="Share of district-office dossiers in procedures that stop paper intake.",
                unit=PCT,
                min=0,
                max=100,
                step=5,
                default=0.0,
            ),
            Param(
                id="paper_stop.commune_pct",
                label_vi="Phần hồ sơ thuộc diện — cấp xã",
                label_en="Covered share — communes",
                help_vi="Tỷ lệ hồ sơ cấp xã thuộc các thủ tục dừng nhận giấy (chỉ nơi đã có DVCTT).",
                help_en="Share of commune dossiers in procedures that stop paper intake (only where services exist).",
                unit=PCT,
                min=0,
                max=100,
                step=5,
                default=0.0,
            ),
            Param(
                id="paper_stop.compliance_pct",
                label_vi="Mức tuân thủ (hồ sơ thuộc diện thực sự chuyển sang trực tuyến)",
                label_en="Compliance (covered dossiers that really move online)",
                help_vi=(
                    "TP Hồ Chí Minh dừng tiếp nhận trực tiếp từ 1/4/2020; Chỉ thị 24/CT-TTg bỏ thành phần giấy cho "
                    "25 dịch vụ từ 1/10/2025. Không có số đo về mức tuân thủ: 80% là giả định."
                ),
                help_en=(
                    "Hồ Chí Minh City stopped in-person intake from 1/4/2020; Directive 24/CT-TTg removed paper "
                    "components for 25 services from 1/10/2025. No measured compliance rate: 80% is an assumption."
                ),
                unit=PCT,
                min=0,
                max=100,
                step=5,
                default=80.0,
                switches=False,
            ),
        ),
        effects=(),
        terms=(
            ChannelSwitch(
                covered=(
                    ("department", "paper_stop.department_pct"),
                    ("district_office", "paper_stop.district_pct"),
                    ("commune", "paper_stop.commune_pct"),
                ),
                compliance="paper_stop.compliance_pct",
            ),
        ),
        main_param="paper_stop.commune_pct",
    ),
    Lever(
        id="processing_time",
        group="b",
        label_vi="Rút ngắn thời gian xử lý hồ sơ trực tuyến",
        label_en="Faster processing of online dossiers",
        help_vi="Rút ngắn thời gian giải quyết hồ sơ nộp trực tuyến so với hồ sơ giấy, tính theo %.",
        help_en="How much faster online dossiers are processed than paper ones, in %.",
        acts_on_vi="Mọi đơn vị đã có DVCTT",
        acts_on_en="Every unit with online services",
        params=(
            Param(
                id="processing_time.reduction_pct",
                label_vi="Mức rút ngắn thời gian xử lý",
                label_en="Processing time reduction",
                help_vi="Mô hình “5 tại chỗ” của Sơn La rút ngắn 25–50% ở một số lĩnh vực.",
                help_en="Sơn La's 'five on the spot' model cut 25–50% in some fields.",
                unit=PCT,
                min=0,
                max=50,
                step=5,
                default=0.0,
                steps=(
                    Step(value=25, label_vi="25% (“5 tại chỗ”, mức thấp)", label_en="25% ('five on the spot', low)"),
                    Step(value=50, label_vi="50% (“5 tại chỗ”, mức cao)", label_en="50% ('five on the spot', high)"),
                ),
            ),
        ),
        effects=(
            Effect(
                id="processing_time.logodds_half_time",
                label_vi="Tác động của rút ngắn 50%",
                label_en="Effect of a 50% reduction",
                unit="log-odds",
                low=0.05,
                central=0.2,
                high=0.4,
                source_vi=(
                    "Giả định. Mô hình “5 tại chỗ” rút ngắn 25–50% thời gian nhưng không có báo cáo về tác động "
                    "đến tỷ lệ trực tuyến."
                ),
                source_en="Assumption. 'Five on the spot' cut processing time 25–50%; no link to online uptake was reported.",
            ),
        ),
        terms=(LogOddsShift(effect="processing_time.logodds_half_time", setting="processing_time.reduction_pct", full_at=50),),
        main_param="processing_time.reduction_pct",
    ),
    Lever(
        id="guidance",
        group="b",
        label_vi="Hướng dẫn, hỗ trợ người dân",
        label_en="Guidance and support",
        help_vi=(
            "Trợ lý ảo hướng dẫn; cán bộ bộ phận một cửa hỗ trợ người dân nộp trực tuyến; chuẩn hóa và nâng cao "
            "trải nghiệm người dùng."
        ),
        help_en="A virtual assistant; one-stop-shop staff helping citizens submit online; user-experience standards.",
        acts_on_vi="Mọi đơn vị đã có DVCTT",
        acts_on_en="Every unit with online services",
        params=(
            Param(
                id="guidance.assistant_on",
                label_vi="Trợ lý ảo hướng dẫn",
                label_en="Virtual assistant",
                help_vi="Bật trợ lý ảo hướng dẫn người dân sử dụng DVCTT.",
                help_en="A virtual assistant guiding citizens online.",
                unit="bật/tắt",
                unit_en="on/off",
                min=0,
                max=1,
                step=1,
                default=0.0,
                widget="toggle",
            ),
            Param(
                id="guidance.staff_help_pct",
                label_vi="Độ phủ hỗ trợ tại bộ phận một cửa",
                label_en="One-stop-shop staff help coverage",
                help_vi="Tỷ lệ bộ phận một cửa có cán bộ hướng dẫn, hỗ trợ người dân nộp trực tuyến.",
                help_en="Share of one-stop shops with staff who help citizens submit online.",
                unit=PCT,
                min=0,
                max=100,
                step=10,
                default=0.0,
            ),
            Param(
                id="guidance.ux_on",
                label_vi="Chuẩn hóa trải nghiệm người dùng",
                label_en="User-experience standards",
                help_vi="Chuẩn hóa, nâng cao trải nghiệm người dùng trên Cổng DVC.",
                help_en="Standardised, improved user experience.",
                unit="bật/tắt",
                unit_en="on/off",
                min=0,
                max=1,
                step=1,
                default=0.0,
                widget="toggle",
            ),
        ),
        effects=(
            Effect(
                id="guidance.logodds_assistant",
                label_vi="Tác động của trợ lý ảo",
                label_en="Effect of the virtual assistant",
                unit="log-odds",
                low=0.0,
                central=0.1,
                high=0.3,
                source_vi="Giả định; chưa có số đo.",
                source_en="Assumption; nothing measured.",
            ),
            Effect(
                id="guidance.logodds_staff_help",
                label_vi="Tác động của hỗ trợ tại một cửa (độ phủ 100%)",
                label_en="Effect of one-stop-shop help (full coverage)",
                unit="log-odds",
                low=0.3,
                central=0.8,
                high=1.5,
                source_vi=(
                    "Giả định, dựa trên Điện Biên sau 7/2025: xã Mường Mùn 891/976 hồ sơ trực tuyến (≈ 91%), "
                    "phường Điện Biên Phủ 2.387/5.780 (≈ 41%) với hỗ trợ nộp tại chỗ."
                ),
                source_en=(
                    "Assumption anchored on Điện Biên after 7/2025: Mường Mùn commune 891/976 online (≈ 91%), "
                    "Điện Biên Phủ ward 2,387/5,780 (≈ 41%) with assisted submission."
                ),
            ),
            Effect(
                id="guidance.logodds_ux",
                label_vi="Tác động của chuẩn hóa trải nghiệm",
                label_en="Effect of UX standards",
                unit="log-odds",
                low=0.05,
                central=0.15,
                high=0.3,
                source_vi="Giả định; chưa có số đo.",
                source_en="Assumption; nothing measured.",
            ),
        ),
        terms=(
            LogOddsShift(effect="guidance.logodds_assistant", setting="guidance.assistant_on", full_at=1),
            LogOddsShift(effect="guidance.logodds_staff_help", setting="guidance.staff_help_pct", full_at=100),
            LogOddsShift(effect="guidance.logodds_ux", setting="guidance.ux_on", full_at=1),
        ),
        main_param="guidance.staff_help_pct",
    ),
    Lever(
        id="unit_targets",
        group="b",
        label_vi="Giao chỉ tiêu gắn trách nhiệm người đứng đầu",
        label_en="Unit targets tied to heads' accountability",
        help_vi=(
            "Giao cho từng đơn vị, xã chỉ tiêu của bộ chỉ tiêu đang dùng, gắn với trách nhiệm người đứng đầu "
            "(Công văn 3109/BTTTT-CĐSQG cũng khuyến nghị). Thanh trượt là phần khoảng cách tới chỉ tiêu mà mỗi "
            "đơn vị thực sự thu hẹp được trong năm, tính bằng điểm %: 50% với đơn vị 40% và chỉ tiêu 80% cho 60%."
        ),
        help_en=(
            "Give every unit and commune its target from the active target set, tied to its head's accountability "
            "(also urged by dispatch 3109/BTTTT-CĐSQG). The slider is the part of its gap to the target that each "
            "unit actually closes within the year, in share points: 50% for a unit at 40% with an 80% target gives 60%."
        ),
        acts_on_vi="Mọi đơn vị đã có DVCTT, dưới chỉ tiêu",
        acts_on_en="Every unit with online services, below its target",
        params=(
            Param(
                id="unit_targets.gap_closed_pct",
                label_vi="Phần khoảng cách tới chỉ tiêu thực sự thu hẹp được",
                label_en="Share of the gap to target actually closed",
                help_vi=(
                    "Mỗi đơn vị dưới chỉ tiêu thu hẹp được bấy nhiêu phần khoảng cách (điểm %) tới chỉ tiêu của "
                    "mình trong bộ chỉ tiêu đang dùng. Năm 2022 Sơn La đã giao 80%/50% (QĐ 1434) nhưng khối huyện "
                    "chỉ đạt 5,30%: chọn mức này thận trọng."
                ),
                help_en=(
                    "Each unit below its target closes this much of its gap (in share points) to its target in "
                    "the active target set. In 2022 Sơn La assigned 80%/50% (Decision 1434) yet the district block "
                    "reached 5.30%: choose it with care."
                ),
                unit=PCT,
                min=0,
                max=100,
                step=5,
                default=0.0,
            ),
        ),
        effects=(),
        terms=(GapClosing(setting="unit_targets.gap_closed_pct"),),
        main_param="unit_targets.gap_closed_pct",
    ),
    Lever(
        id="ministry_connect",
        group="b",
        label_vi="Kết nối hệ thống do bộ, ngành triển khai",
        label_en="Connect ministry-run systems",
        help_vi=(
            "Một số DVCTT của Sở Giao thông vận tải, Sở Kế hoạch và Đầu tư, Sở Tài chính triển khai từ cấp bộ chưa "
            "kết nối vào hệ thống của tỉnh, nên hồ sơ trực tuyến của họ chưa được đếm. Đây là hiệu chỉnh đo lường, "
            "không phải thay đổi hành vi: nó chỉ thay đổi tỷ lệ “đo được”, không thay đổi tỷ lệ “thực tế”."
        ),
        help_en=(
            "Some online services of Transport, Planning and Investment and Finance run on ministry systems not "
            "connected to the province's, so their online dossiers are not counted. This corrects measurement; it "
            "does not change behaviour: it moves the 'measured' share, not the 'behavioural' one."
        ),
        acts_on_vi="Các sở có hệ thống bộ chưa kết nối (theo dữ liệu)",
        acts_on_en="Departments flagged in the data as unconnected",
        params=(
            Param(
                id="ministry_connect.connected_pct",
                label_vi="Mức kết nối",
                label_en="Share connected",
                help_vi="Tỷ lệ dịch vụ chạy trên hệ thống bộ được kết nối, đếm vào hệ thống của tỉnh.",
                help_en="Share of ministry-run services connected and counted by the province's system.",
                unit=PCT,
                min=0,
                max=100,
                step=10,
                default=0.0,
            ),
        ),
        effects=(
            Effect(
                id="ministry_connect.true_share",
                label_vi="Tỷ lệ trực tuyến thực trên hệ thống bộ",
                label_en="True online share on ministry systems",
                unit="tỷ lệ",
                unit_en="fraction",
                low=0.10,
                central=0.25,
                high=0.50,
                source_vi="Giả định; báo cáo chỉ nói kết quả “mới chỉ phản ánh một cách tương đối thực trạng”.",
                source_en="Assumption; the report only says its results reflect the situation 'relatively'.",
            ),
        ),
        terms=(MeasurementCorrection(connected="ministry_connect.connected_pct", true_share="ministry_connect.true_share"),),
        main_param="ministry_connect.connected_pct",
    ),
    Lever(
        id="catalogue",
        group="a",
        label_vi="Rà soát, công bố danh mục DVCTT toàn trình và xây dựng",
        label_en="Publish the catalogue and build full-process services",
        help_vi=(
            "Rà soát thủ tục, công bố danh mục DVCTT toàn trình và một phần; bố trí kinh phí xây dựng 100% DVCTT toàn "
            "trình đã công bố. Nâng chỉ tiêu thứ hai của báo cáo: tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến (67,37%)."
        ),
        help_en=(
            "Review procedures, publish the full-process and partial catalogue, fund building all published "
            "full-process services. Raises the report's other KPI, services receiving online dossiers (67.37%)."
        ),
        acts_on_vi="Chỉ tiêu dịch vụ cấp tỉnh; mọi đơn vị đã có DVCTT",
        acts_on_en="Province services KPI; every unit with services",
        params=(
            Param(
                id="catalogue.built_pct",
                label_vi="Mức xây dựng DVCTT toàn trình đã công bố",
                label_en="Share of published full-process services built",
                help_vi="Bao nhiêu phần trăm DVCTT toàn trình đã công bố được bố trí kinh phí và xây dựng xong.",
                help_en="How much of the published full-process catalogue is funded and built.",
                unit=PCT,
                min=0,
                max=100,
                step=10,
                default=0.0,
            ),
        ),
        effects=(
            Effect(
                id="catalogue.services_effect",
                label_vi="Phần khoảng cách chỉ tiêu dịch vụ được thu hẹp",
                label_en="Share of the services-KPI gap closed",
                unit="tỷ lệ",
                unit_en="fraction",
                low=0.2,
                central=0.4,
                high=0.6,
                source_vi="Giả định. Một dịch vụ được xây dựng chưa chắc đã có người nộp.",
                source_en="Assumption. A built service does not guarantee any online dossier.",
            ),
            Effect(
                id="catalogue.logodds_dossiers",
                label_vi="Tác động lên tỷ lệ hồ sơ",
                label_en="Effect on the dossier share",
                unit="log-odds",
                low=0.0,
                central=0.1,
                high=0.3,
                source_vi="Giả định.",
                source_en="Assumption.",
            ),
        ),
        terms=(
            ServicesShare(setting="catalogue.built_pct", effect="catalogue.services_effect"),
            LogOddsShift(effect="catalogue.logodds_dossiers", setting="catalogue.built_pct", full_at=100),
        ),
        main_param="catalogue.built_pct",
    ),
    Lever(
        id="online_payment",
        group="b",
        label_vi="Đẩy mạnh thanh toán trực tuyến phí, lệ phí",
        label_en="Promote online payment of fees and charges",
        help_vi=(
            "Tích hợp thanh toán trực tuyến cho các thủ tục có phí, lệ phí và hướng dẫn người dân dùng. Nâng tỷ lệ hồ sơ "
            "thanh toán trực tuyến, chỉ số được 6 điểm trong Bộ chỉ số 766; không đổi tỷ lệ hồ sơ nộp trực tuyến."
        ),
        help_en=(
            "Integrate online payment for procedures with fees and charges, and help citizens use it. Raises the share of "
            "dossiers paid online, worth 6 points of the Decision 766 index; does not change the online-dossier share."
        ),
        acts_on_vi="Hồ sơ có phí, lệ phí (chỉ số 766)",
        acts_on_en="Dossiers with a fee (Decision 766 index)",
        params=(
            Param(
                id="online_payment.coverage_pct",
                label_vi="Phần hồ sơ có phí được hỗ trợ thanh toán trực tuyến",
                label_en="Share of fee-bearing dossiers supported for online payment",
                help_vi="Bao nhiêu phần trăm hồ sơ có phí thuộc các thủ tục đã tích hợp và được hướng dẫn thanh toán trực tuyến.",
                help_en="How much of the fee-bearing dossiers fall under procedures with online payment integrated and promoted.",
                unit=PCT,
                min=0,
                max=100,
                step=10,
                default=0.0,
            ),
        ),
        effects=(
            Effect(
                id="online_payment.gap_closed",
                label_vi="Phần khoảng cách tới 100% thanh toán trực tuyến được thu hẹp",
                label_en="Share of the gap to 100% online payment closed",
                unit="tỷ lệ",
                unit_en="fraction",
                low=0.1,
                central=0.3,
                high=0.5,
                source_vi=(
                    "Giả định; không có nghiên cứu có đối chứng. Tham chiếu: Bình Dương có 57,29% hồ sơ thanh toán trực "
                    "tuyến (tuần 11–18/3/2024), một tỉnh đứng thứ 4/63 về chỉ số 766."
                ),
                source_en=(
                    "Assumption; no controlled study. Reference: Bình Dương had 57.29% of dossiers paid online "
                    "(week of 11–18/3/2024), 4th of 63 provinces on the Decision 766 index."
                ),
            ),
        ),
        terms=(PaymentShare(setting="online_payment.coverage_pct", effect="online_payment.gap_closed"),),
        main_param="online_payment.coverage_pct",
    ),
)

# Keys of earlier versions that a saved scenario or a link may still carry. They are read and
# dropped, each with a notice: unit targets now come from the active target set, the unit-target
# effectiveness is gone (the slider is the gap actually closed), and paper-stop compliance is a
# visible setting.
RETIRED_KEYS = {
    "unit_targets.department_target_pct": (
        "chỉ tiêu nay lấy từ bộ chỉ tiêu đang dùng",
        "targets now come from the active target set",
    ),
    "unit_targets.local_target_pct": ("chỉ tiêu nay lấy từ bộ chỉ tiêu đang dùng", "targets now come from the active target set"),
    "unit_targets.effectiveness": (
        "thanh trượt nay là phần khoảng cách thực sự thu hẹp",
        "the slider is now the gap actually closed",
    ),
    "paper_stop.compliance": (
        "mức tuân thủ nay là một thiết lập của biện pháp (paper_stop.compliance_pct)",
        "compliance is now a setting of the lever (paper_stop.compliance_pct)",
    ),
}


@dataclass(frozen=True, kw_only=True)
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
    unit_en: str | None = None
    assumption: bool = True
    choices: tuple[tuple[str, str, str], ...] = field(default=())  # (value, label_vi, label_en)
    # Half-width of the triangular distribution Monte Carlo draws around the chosen value (0 = fixed).
    uncertainty: float = 0.0
    # (low, high) used when ranking sensitivity; defaults to (min, max).
    sensitivity_range: tuple[float, float] | None = None

    def unit_in(self, lang: str) -> str:
        return self.unit_en if lang == "en" and self.unit_en is not None else self.unit


# "latest" is resolved per dataset (scenario.resolved_start_point): the series estimate when the data has
# one, else the report's year-to-date shares. The engine sees only the other three.
START_POINTS = ("annual_2022", "december_run_rate", "series_estimate", "latest")

ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption(
        id="start_point",
        label_vi="Điểm xuất phát",
        label_en="Starting point",
        help_vi="Tỷ lệ của từng đơn vị khi bắt đầu năm kế hoạch.",
        help_en="Each unit's share at the start of the plan year.",
        unit="",
        min=0,
        max=2,
        step=1,
        default=0,
        source_vi=(
            "Báo cáo đang dùng; cách suy ra tốc độ tháng cuối và cách ước lượng từ chuỗi số liệu xem trang Giả định & dữ liệu."
        ),
        source_en=(
            "The active report; the run-rate derivation and the series estimate are explained on the Assumptions & data page."
        ),
        # ids are stored in scenario files: "annual_2022" is the report's year-to-date share, whatever its year
        choices=(
            (
                "latest",
                "Số liệu mới nhất (ước lượng từ chuỗi nếu có, nếu không: tỷ lệ lũy kế của báo cáo)",
                "The latest data (the series estimate where there is one, else the report's year-to-date shares)",
            ),
            ("annual_2022", "Tỷ lệ lũy kế của báo cáo (như báo cáo)", "The report's year-to-date shares (as reported)"),
            (
                "december_run_rate",
                "Tốc độ riêng tháng cuối của báo cáo (suy ra theo khối)",
                "The report's last-month run-rate (derived per block)",
            ),
            ("series_estimate", "Ước lượng từ chuỗi số liệu", "Estimated from the monthly series"),
        ),
    ),
    Assumption(
        id="momentum_logodds_per_year",
        label_vi="Đà tăng tự nhiên (không có biện pháp mới)",
        label_en="Status-quo momentum",
        help_vi="Mức tăng log-odds mỗi năm của mọi đơn vị đã có DVCTT khi không có biện pháp mới. 0 = giữ nguyên.",
        help_en="Yearly log-odds drift of every unit with services when no lever moves. 0 = flat.",
        unit="log-odds/năm",
        unit_en="log-odds/year",
        min=-0.5,
        max=1.0,
        step=0.05,
        default=0.2,
        source_vi=(
            "Giả định. Tham chiếu: khối tỉnh cả nước tăng từ 9% (cuối 2023) lên 18,54% (cuối 2024), "
            "≈ +0,83 log-odds, nhưng có nhiều biện pháp mới; lấy 0,2 là đà tăng khiêm tốn."
        ),
        source_en=(
            "Assumption. Reference: provinces nationally went from 9% (end-2023) to 18.54% (end-2024), "
            "≈ +0.83 log-odds, but with many new measures; 0.2 is a modest drift."
        ),
        uncertainty=0.2,
        sensitivity_range=(0.0, 0.5),
    ),
    Assumption(
        id="responsive_floor_pct",
        label_vi="Mức sàn khi tính tác động",
        label_en="Responsive floor",
        help_vi="Đơn vị đã có DVCTT nhưng tỷ lệ gần 0 (như cấp xã Bắc Yên) được tính tác động như thể có tỷ lệ sàn này.",
        help_en="Units with services but a share near 0 (Bắc Yên's communes) respond to levers as if at this floor share.",
        unit=PCT,
        min=0.1,
        max=5.0,
        step=0.1,
        default=1.0,
        source_vi="Giả định: không có nó, một đơn vị 0% sẽ không bao giờ tăng theo tỷ lệ odds.",
        source_en="Assumption: without it a unit at 0% could never move under an odds ratio.",
        sensitivity_range=(0.5, 2.0),
    ),
    Assumption(
        id="volume_growth_pct",
        label_vi="Tăng trưởng số hồ sơ",
        label_en="Dossier volume growth",
        help_vi=(
            "Số hồ sơ mỗi tháng = 1/12 tổng lũy kế của báo cáo × (1 + tăng trưởng × tháng/12). Chỉ đổi số hồ sơ, gần như không đổi tỷ lệ."
        ),
        help_en="Monthly dossiers = 1/12 of the report's year-to-date total × (1 + growth × month/12). Changes counts, hardly the shares.",
        unit="%/năm",
        unit_en="%/year",
        min=-20,
        max=30,
        step=1,
        default=0.0,
        source_vi="Giả định.",
        source_en="Assumption.",
    ),
    Assumption(
        id="seasonality_amplitude_pct",
        label_vi="Biên độ mùa vụ (thấp nhất tháng 2)",
        label_en="Seasonality amplitude (low in February)",
        help_vi="Số hồ sơ mỗi tháng nhân với 1 − biên độ × cos(2π(tháng − 2)/12); trung bình năm không đổi.",
        help_en="Monthly dossiers × (1 − amplitude × cos(2π(month − 2)/12)); the yearly mean is unchanged.",
        unit=PCT,
        min=0,
        max=30,
        step=1,
        default=0.0,
        source_vi="Giả định (Tết thường rơi vào tháng 1–2).",
        source_en="Assumption (Tết usually falls in January–February).",
    ),
)

# Section 4 grouping for the pages (the report's 4a and 4b). The Scenario page lists the uptake measures
# (4b) first, as the headline share moves with them, so the headings carry no letters: "b)" above "a)" read
# as a mistake.
GROUPS = {
    "a": ("Rà soát, công bố danh mục và xây dựng DVCTT toàn trình", "Review, publish and build full-process services"),
    "b": ("Các giải pháp nâng cao hiệu quả cung cấp DVCTT", "Measures to raise uptake of online services"),
}


def _indexes(levers: tuple[Lever, ...]):
    effects = tuple(e for lever in levers for e in lever.effects)
    return (
        {lever.id: lever for lever in levers},
        {p.id: p for lever in levers for p in lever.all_params()},
        effects,
        {e.id: e for e in effects},
    )


LEVER_BY_ID, PARAM_BY_ID, EFFECTS, EFFECT_BY_ID = _indexes(LEVERS)
ASSUMPTION_BY_ID = {a.id: a for a in ASSUMPTIONS}


def declare_lever(lever: Lever) -> None:
    """Add a lever to the registry. The modules that read the registry take it at import, so this
    is called before they are imported (the throw-away-lever test does it in a fresh process)."""
    global LEVERS, LEVER_BY_ID, PARAM_BY_ID, EFFECTS, EFFECT_BY_ID
    names = {p.id for p in lever.all_params()} | {e.id for e in lever.effects}
    clash = names & (set(PARAM_BY_ID) | set(EFFECT_BY_ID))
    if lever.id in LEVER_BY_ID or clash:
        raise ValueError(f"lever {lever.id!r} clashes with declared ids: {sorted(clash) or lever.id}")
    LEVERS = LEVERS + (lever,)
    LEVER_BY_ID, PARAM_BY_ID, EFFECTS, EFFECT_BY_ID = _indexes(LEVERS)


# ---------------------------------------------------------------- formula text, from the terms


def _name(item_id: str, lang: str) -> str:
    decl = PARAM_BY_ID.get(item_id) or EFFECT_BY_ID.get(item_id)
    if decl is None:
        return item_id
    label = decl.label_vi if lang == "vi" else decl.label_en
    return label[0].lower() + label[1:]


def _number(x: float, lang: str) -> str:
    text = f"{x:g}"
    return text.replace(".", ",") if lang == "vi" else text


def term_formula(term: Term, lang: str = "vi") -> str:
    """The arithmetic of one term, in words a planner can check by hand."""
    n = lambda item: _name(item, lang)  # noqa: E731
    vi = lang == "vi"
    if isinstance(term, LogOddsShift):
        scale = "" if term.full_at == 1 else f"/{_number(term.full_at, lang)}"
        return f"log-odds + [{n(term.effect)}] × [{n(term.setting)}]{scale}"
    if isinstance(term, GapClosing):
        return (
            f"tỷ lệ + [{n(term.setting)}]/100 × max(0; chỉ tiêu của đơn vị − tỷ lệ), tính bằng điểm %"
            if vi
            else f"share + [{n(term.setting)}]/100 × max(0, the unit's target − share), in share points"
        )
    if isinstance(term, ChannelSwitch):
        covered = "; ".join(f"[{n(pid)}]" for _, pid in term.covered)
        return (
            f"tỷ lệ + (1 − tỷ lệ) × phần thuộc diện/100 × [{n(term.compliance)}]/100 (phần thuộc diện theo khối: {covered})"
            if vi
            else f"share + (1 − share) × covered/100 × [{n(term.compliance)}]/100 (covered by block: {covered})"
        )
    if isinstance(term, StructuralSwitch):
        return (
            f"tỷ lệ cấp xã = phần xã đã bật theo lộ trình × [{n(term.adoption)}]/100 × [{n(term.realisation)}]; "
            "sau đó các biện pháp khác tác động như với xã đã triển khai"
            if vi
            else f"commune share = fraction switched on by the ramp × [{n(term.adoption)}]/100 × [{n(term.realisation)}]; "
            "the other levers then act as on deployed communes"
        )
    if isinstance(term, MeasurementCorrection):
        return (
            f"tỷ lệ đo được = tỷ lệ + max(0; [{n(term.true_share)}] − tỷ lệ) × [{n(term.connected)}]/100 "
            "(chỉ đổi tỷ lệ đo được, không đổi tỷ lệ thực tế)"
            if vi
            else f"measured share = share + max(0, [{n(term.true_share)}] − share) × [{n(term.connected)}]/100 "
            "(changes the measured share only, not the behavioural one)"
        )
    if isinstance(term, ServicesShare):
        return (
            f"tỷ lệ DVCTT có hồ sơ trực tuyến = mức của báo cáo + (1 − mức của báo cáo) × [{n(term.setting)}]/100 × [{n(term.effect)}]"
            if vi
            else f"services share = the report's level + (1 − that level) × [{n(term.setting)}]/100 × [{n(term.effect)}]"
        )
    if isinstance(term, PaymentShare):
        return (
            f"tỷ lệ hồ sơ thanh toán trực tuyến = mức tháng gần nhất + (1 − mức đó) × [{n(term.setting)}]/100 × [{n(term.effect)}] "
            "(chỉ đổi điểm thanh toán trực tuyến của chỉ số 766)"
            if vi
            else f"online-payment share = the last month's level + (1 − that level) × [{n(term.setting)}]/100 × [{n(term.effect)}] "
            "(changes the Decision 766 online-payment points only)"
        )
    raise TypeError(f"unknown term {term!r}")


def lever_formula(lever: Lever, lang: str = "vi") -> str:
    """Every term of the lever, then its timing."""
    parts = [term_formula(t, lang) for t in lever.terms]
    if sum(isinstance(t, LogOddsShift) for t in lever.terms) > 1:
        parts = [("các dịch chuyển log-odds cộng lại: " if lang == "vi" else "log-odds shifts add up: ") + parts[0]] + parts[1:]
    timing = (
        "; tất cả nhân với lộ trình (0 trước tháng bắt đầu, rồi tăng đều tới 1)"
        if lang == "vi"
        else "; all times the ramp (0 before the start month, then rising evenly to 1)"
    )
    return "; ".join(parts) + timing + "."
