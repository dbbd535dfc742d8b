"""ANKASAM (Ankara Center for Crisis and Policy Studies) analyses, dumped from the web.

Their pages end with the notes, then an author box: the name twice (the second
in a heading) and the biography. "Similar Posts" and the language switcher are
chrome; names arrive in Turkish upper case.
"""

from .profile import Profile

PROFILE = Profile(
    name="ankasam",
    publisher="ANKASAM",
    category="Analysis",
    casing_locale="tr",
    chrome=(r"(?i)similar posts", r"(?i)(önceki|sonraki|previous|next) (yazı|post)"),
    signatures=(r"This post is also available in:.*", r"Similar Posts", r".*\bANKASAM\b.*"),
    byline="end",
    lead_is_summary=False,
    run_in_headings=False,
)
