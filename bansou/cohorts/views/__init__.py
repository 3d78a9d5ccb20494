"""Pages of 研修, by whom they serve: ``pages`` (list, create, join, the 研修's page, hand-in, leave),
``totals`` (the organiser's totals, projector, xlsx/CSV), ``paper`` (paper results typed in),
``organise`` (settings, join code, closing a phase) and ``overview`` (an organisation's 年度
overview of the checks shared with it)."""
