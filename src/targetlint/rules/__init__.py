"""The rule catalogue.  Every rule is listed here explicitly, in code order.

Each module holds ``RULE`` (its :class:`~targetlint.rule.Rule` entry) and
``check(sub, params)``; its docstring is what ``targetlint explain`` prints.
Rules read the canonical frames only — never a file, a format or a layout.
"""

from targetlint.rules import (
    tl001_field_code_residue,
    tl003_required_field_missing,
    tl101_budget_sum_mismatch,
    tl103_spending_plan_empty,
    tl104_spending_plan_invalid,
    tl201_level1_missing,
    tl204_output_dimension_missing,
    tl206_too_few_indicators,
    tl301_copy_paste_fields,
    tl302_level3_is_sentence,
    tl303_value_unparseable,
    tl304_value_with_prose,
    tl308_rate_out_of_range,
    tl315_basis_nonstandard,
    tl401_boilerplate_across_projects,
    tl405_department_goal_unmeasurable,
)

ALL = (
    tl001_field_code_residue,
    tl003_required_field_missing,
    tl101_budget_sum_mismatch,
    tl103_spending_plan_empty,
    tl104_spending_plan_invalid,
    tl201_level1_missing,
    tl204_output_dimension_missing,
    tl206_too_few_indicators,
    tl301_copy_paste_fields,
    tl302_level3_is_sentence,
    tl303_value_unparseable,
    tl304_value_with_prose,
    tl308_rate_out_of_range,
    tl315_basis_nonstandard,
    tl401_boilerplate_across_projects,
    tl405_department_goal_unmeasurable,
)
