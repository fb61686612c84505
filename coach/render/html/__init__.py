"""Reports to hand over, as HTML documents: one session, and a couple's sessions over time.

page: the document skeleton, style sheet, colours and escaping every page shares; session: one
session's article and page; trends: the charts over time (small multiples, CSI-4, rolling
means); report: the couple report as a page and as one SVG. Imported only by exports.
"""
