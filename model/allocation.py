"""Per-unit targets that reach a province or block target with the least total effort.

Effort (one sentence, shown in the app): the dossier-weighted sum of squared changes in each
unit's log-odds of online submission, so moving a big unit costs more than a small one, and
moving a unit from 1% to 5% costs about as much as from 50% to 83%.

Floors: no unit's target is below its current share (the active scenario's December value).
Caps: one per unit, 95% by default. Solved with scipy.optimize (SLSQP, then brentq to land on the
target exactly). The two simple rules beside it — same uplift in points, same fraction of the gap
to 100% — are solved with brentq.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize
from scipy.special import expit, logit

from model.projection import Projection
from model.segments import block_masks

DEFAULT_CAP_PCT = 95.0
EFFORT_FLOOR = 0.005  # log-odds of a 0% unit are taken at 0.5% so that its effort is finite
METHODS = ("least_effort", "same_uplift", "same_gap_fraction")


@dataclass
class Allocation:
    method: str
    block: str
    target_pct: float
    feasible: bool
    achieved_pct: float
    table: (
        pd.DataFrame
    )  # seg_id, name_vi, name_en, volume, report_share_pct, current_pct, cap_pct, target_pct, extra_online_per_month
    binding_caps: list[str]
    message_vi: str
    message_en: str


def _units(proj: Projection, block: str, caps_pct: dict[str, float] | None):
    units = proj.units
    mask = block_masks(units)[block] & units.has_data.to_numpy() & (units.report_dossiers.to_numpy() > 0)
    seg = units[mask].reset_index(drop=True)
    current = seg.december_pct.to_numpy() / 100
    caps = np.array([(caps_pct or {}).get(sid, DEFAULT_CAP_PCT) / 100 for sid in seg.seg_id])
    caps = np.maximum(caps, current)  # a cap below the current share would contradict the floor
    return seg, seg.report_dossiers.to_numpy(float), seg.report_share_pct.to_numpy() / 100, current, caps


def _weighted(volume, shares) -> float:
    return float((volume * shares).sum() / volume.sum())


def _least_effort(volume, current, caps, target):
    x0 = logit(np.clip(current, EFFORT_FLOOR, 1 - 1e-9))
    hi = logit(np.clip(caps, EFFORT_FLOOR, 1 - 1e-9))
    w = volume / volume.sum()

    def effort(y):
        return float((w * (y - x0) ** 2).sum())

    def effort_grad(y):
        return 2 * w * (y - x0)

    def shares(y):
        # a unit the optimiser leaves at its start keeps exactly its current share (which may be 0)
        return np.where(y > x0 + 1e-12, expit(y), current)

    constraint = {
        "type": "eq",
        "fun": lambda y: float((w * expit(y)).sum()) - target,
        "jac": lambda y: w * expit(y) * (1 - expit(y)),
    }
    start = np.clip(x0 + 0.5, x0, hi)
    result = minimize(
        effort,
        start,
        jac=effort_grad,
        bounds=list(zip(x0, hi)),
        constraints=[constraint],
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-12},
    )
    y = np.clip(result.x, x0, hi)
    # Land exactly on the target: one common log-odds step for the units not at a bound.
    free = y < hi - 1e-9

    def gap(step):
        return _weighted(volume, shares(np.clip(y + step * free, x0, hi))) - target

    if free.any() and gap(-20) < 0 < gap(20):
        y = np.clip(y + brentq(gap, -20, 20, xtol=1e-12) * free, x0, hi)
    return shares(y)


def _simple_rule(kind, volume, current, caps, target):
    def targets(k):
        raised = current + k if kind == "same_uplift" else current + k * (1 - current)
        return np.minimum(caps, raised)

    top = 1.0
    if _weighted(volume, targets(top)) < target:
        return targets(top)
    return targets(brentq(lambda k: _weighted(volume, targets(k)) - target, 0.0, top, xtol=1e-12))


def allocate(
    proj: Projection,
    target_pct: float,
    block: str = "province",
    method: str = "least_effort",
    caps_pct: dict[str, float] | None = None,
) -> Allocation:
    """Per-unit targets for `block` that reach `target_pct`, floored at each unit's December value
    in the projection `proj`."""
    from model import fmt

    seg, volume, actual, current, caps = _units(proj, block, caps_pct)
    target = target_pct / 100
    now, ceiling = _weighted(volume, current), _weighted(volume, caps)
    label_vi, label_en = ("toàn tỉnh", "province") if block == "province" else ("của khối", "block")
    binding: list[str] = []
    if now >= target:
        proposed, feasible = current.copy(), True
    elif ceiling < target:
        proposed, feasible = caps.copy(), False
        binding = list(seg.name_vi[np.argsort(-volume)])  # every cap binds; the biggest units first
    elif method == "least_effort":
        proposed, feasible = _least_effort(volume, current, caps, target), True
    else:
        proposed, feasible = _simple_rule(method, volume, current, caps, target), True
    achieved = _weighted(volume, proposed)
    if feasible:
        binding = [n for n, t, cap in zip(seg.name_vi, proposed, caps) if t >= cap - 1e-9 and cap > 0]
    table = pd.DataFrame(
        {
            "seg_id": seg.seg_id,
            "name_vi": seg.name_vi,
            "name_en": seg.name_en,
            "volume": volume,
            "report_share_pct": 100 * actual,
            "current_pct": 100 * current,
            "cap_pct": 100 * caps,
            "target_pct": 100 * proposed,
            "extra_online_per_month": (proposed - actual) * volume / 12,
        }
    )
    if feasible:
        msg_vi = (
            f"Chỉ tiêu {fmt.pct(target_pct, 'vi')} {label_vi} đạt được: các chỉ tiêu đơn vị cộng lại (theo số hồ sơ) "
            f"bằng {fmt.pct(100 * achieved, 'vi')}."
        )
        msg_en = (
            f"The {label_en} target of {fmt.pct(target_pct, 'en')} is reachable: the unit targets, weighted by "
            f"dossiers, give {fmt.pct(100 * achieved, 'en')}."
        )
    else:
        msg_vi = (
            f"Không khả thi với các mức trần này: kể cả khi mọi đơn vị đạt mức trần, tỷ lệ {label_vi} chỉ đạt "
            f"{fmt.pct(100 * ceiling, 'vi')} < {fmt.pct(target_pct, 'vi')}. Các mức trần ràng buộc: "
            + ", ".join(binding[:8])
            + (" …" if len(binding) > 8 else "")
            + "."
        )
        msg_en = (
            f"Infeasible under these caps: even with every unit at its cap the {label_en} reaches only "
            f"{fmt.pct(100 * ceiling, 'en')} < {fmt.pct(target_pct, 'en')}. Binding caps: "
            + ", ".join(binding[:8])
            + (" …" if len(binding) > 8 else "")
            + "."
        )
    return Allocation(method, block, target_pct, feasible, 100 * achieved, table, binding, msg_vi, msg_en)


def effort(table: pd.DataFrame) -> float:
    """The effort measure of a proposed table (for comparing the methods)."""
    volume = table.volume.to_numpy(dtype=float)  # plain arrays: pandas' clip costs ≈ 1 ms a call
    w = volume / volume.sum()
    x0 = logit(np.clip(table.current_pct.to_numpy(dtype=float) / 100, EFFORT_FLOOR, 1 - 1e-9))
    y = logit(np.clip(table.target_pct.to_numpy(dtype=float) / 100, EFFORT_FLOOR, 1 - 1e-9))
    return float((w * (y - x0) ** 2).sum())


__all__ = ["allocate", "Allocation", "effort", "METHODS", "DEFAULT_CAP_PCT"]
