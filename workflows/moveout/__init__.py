"""The move-out workflow (fraflytning): the final settlement (flytteopgørelse) and its JSON.

Public API::

    settle(inp: SettlementInput) -> Settlement
    check_input(inp: SettlementInput) -> tuple[InputError, ...]
    settlement_from_json(data: object) -> SettlementInput   # raises SettlementInputError
    settlement_to_json(result: Settlement) -> dict[str, Any]
"""

from workflows.moveout.json_io import settlement_from_json, settlement_to_json
from workflows.moveout.model import (
    Attachment,
    AttachmentPayment,
    Bearer,
    GuaranteeVoidReason,
    OpenItem,
    OpenItemKind,
    OtherClaim,
    Repair,
    RepairCategory,
    RepairNoticeDecision,
    Section,
    Settlement,
    SettlementInput,
    StatementLine,
)
from workflows.moveout.settlement import settle
from workflows.moveout.validation import InputError, SettlementInputError, check_input

__all__ = [
    "Attachment",
    "AttachmentPayment",
    "Bearer",
    "GuaranteeVoidReason",
    "InputError",
    "OpenItem",
    "OpenItemKind",
    "OtherClaim",
    "Repair",
    "RepairCategory",
    "RepairNoticeDecision",
    "Section",
    "Settlement",
    "SettlementInput",
    "SettlementInputError",
    "StatementLine",
    "check_input",
    "settle",
    "settlement_from_json",
    "settlement_to_json",
]
