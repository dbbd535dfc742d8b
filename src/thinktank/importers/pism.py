"""PISM (Polish Institute of International Affairs) bulletins, dumped from PDF.

The byline follows the title, the bold lead paragraph is the summary, sections
open with run-in headings, and the PDF's running header "PISM BULLETIN" lands
between paragraphs, sometimes splitting one in two.
"""

from .profile import Profile

PROFILE = Profile(
    name="pism",
    publisher="PISM",
    category="Bulletin",
    casing_locale="pl",
    chrome=(r"PISM BULLETIN", r"(?i)No\.\s*\d+\s*\(\d+\),?\s*\d.*", r"(?i)PISM\s+(SPOTLIGHT|STRATEGIC FILE|REPORT)"),
    signatures=(r"PISM BULLETIN", r".*\bPISM\b.*"),
    byline="after_title",
    lead_is_summary=True,
    run_in_headings=True,
)
