"""Moving questions in and out: Moodle's GIFT and Moodle XML formats (issue #13).

A pure package: text in, values and problems out (only `convert.write_plan`
writes files). See docs/authoring.md, "Moving questions in and out".
"""

from engine.interop.convert import ConversionPlan, plan_conversion, read_questions, write_plan
from engine.interop.export import ExportFormat, ExportOutcome, export_items, select_items
from engine.interop.gift import parse_gift, write_gift
from engine.interop.moodle_xml import parse_moodle_xml, write_moodle_xml
from engine.interop.problems import Problem, Severity

__all__ = [
    "ConversionPlan",
    "ExportFormat",
    "ExportOutcome",
    "Problem",
    "Severity",
    "export_items",
    "parse_gift",
    "parse_moodle_xml",
    "plan_conversion",
    "read_questions",
    "select_items",
    "write_gift",
    "write_moodle_xml",
    "write_plan",
]
