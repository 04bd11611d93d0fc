"""The sidecar: the status tabs in NAME.kspo.xlsx, for a workbook the tool will not edit.

A sidecar holds only the tool's tabs, so it is made afresh on every run from an empty
package, with the history tab's earlier rows carried over from the previous sidecar.
"""

from __future__ import annotations

import io
from pathlib import Path

from kspo_sheets.logs import counted
from kspo_sheets.model import RawTab
from kspo_sheets.stores.base import WritePlan, WriteReport
from kspo_sheets.stores.xlsx.files import save_atomic, sidecar_path
from kspo_sheets.stores.xlsx.outline import NotUnderstood
from kspo_sheets.stores.xlsx.package import Package, empty_package
from kspo_sheets.stores.xlsx.patch import plan_patch
from kspo_sheets.stores.xlsx.read import Unreadable, read_package


def write_sidecar(path: Path, plan: WritePlan, why: NotUnderstood, *, dry_run: bool) -> WriteReport:
    """The status tabs in NAME.kspo.xlsx beside the workbook, which is left as it is."""
    side = sidecar_path(path)
    report = WriteReport(target=str(path), changed=False, sidecar=str(side))
    report.details.append(
        f"{path.name} is left as it is: kspo-sheets cannot edit it safely ({why}); "
        f"the status tabs go to {side.name}."
    )
    earlier: dict[str, RawTab] = {}
    if side.exists():
        try:
            earlier = read_package(side)
        except (Unreadable, OSError):
            earlier = {}  # a sidecar is the tool's own: a broken one is made afresh
    owned_only = WritePlan(owned=plan.owned, marks=[])
    with Package(io.BytesIO(empty_package())) as pkg:
        patch = plan_patch(pkg, earlier, owned_only)
        report.details.extend(d for d in patch.details if d.startswith("tab "))
        report.details.append(
            f"{counted(len(plan.marks), 'cell')} with findings listed in the status tab"
            " (no highlights in a sidecar)."
        )
        if not dry_run:
            save_atomic(
                lambda tmp: pkg.write(
                    tmp, changed=patch.changed, added=patch.added, removed=patch.removed
                ),
                side,
            )
            report.changed = True
    return report
