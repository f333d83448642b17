"""Everything that crosses a process boundary: events, API requests/responses, subjects.

Rules: a leaf package (imports only msgspec and the standard library); changes are additive;
a breaking change is a new ``…V2`` class with a ``.v2`` tag and subject. Events and responses
never forbid unknown fields (older consumers skip what newer producers add); requests do.
"""
