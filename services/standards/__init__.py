"""standards: the 测绘资质分类分级标准 as versioned data, and evaluation against it (资质标准核验).

Decides whether a unit's 专业技术人员, 技术装备 and 测绘业绩 meet the standard for the 专业类别 and
等级 it applies for, explaining every requirement with the figure's grade and sources. Pure and
read-only: it stores no unit data, emits and consumes no events. Data: ``data/<version>.json``
(``STANDARDS_DATA_DIR``); HTTP: ``GET /standards``, ``GET /standards/{version}``, ``POST /evaluate``;
CLI: ``python -m services.standards evaluate FILE|-``.
"""
