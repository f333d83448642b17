"""The pure model of a piece of work (工作): the page catalog, eligibility, page values and completeness.

Nothing here touches the database or the network; handlers load rows and call these functions.
"""
