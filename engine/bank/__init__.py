"""The question bank: YAML files validated into plain values."""

from engine.bank.diagnostics import BankError, Position
from engine.bank.loader import LoadedBank, find_bank_root, load_bank
from engine.bank.model import AreaInfo, Bank, CutScores, ItemSpec, OptionSpec, TopicInfo

__all__ = [
    "AreaInfo",
    "Bank",
    "BankError",
    "CutScores",
    "ItemSpec",
    "LoadedBank",
    "OptionSpec",
    "Position",
    "TopicInfo",
    "find_bank_root",
    "load_bank",
]
