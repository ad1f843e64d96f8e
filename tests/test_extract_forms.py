"""The surface forms real decisions use, each parsed to its value (tables of cases, not copies of tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.dates import find_dates
from kg.extract.delegations import find_delegations
from kg.extract.law import find_citations, parse_chain
from kg.extract.money import find_money
from kg.extract.people import clean_name
from kg.extract.references import ref_key, segment
from kg.extract.related import related
from kg.ingest.reader import leaders_as_colons

MONEY = [
    # a column of counts beside a £000 column is not money
    ("Borough                      Move-on cases 2024-25     Allocation (£000)\n"
     "London Borough of Hillingdon          1,162                   520\n", [520000]),
    # header cells ending in '£' or 'GBP'; bold cells and reductions in brackets are sums too
    ("| Item | Budget £ | Variance £ |\n|---|---:|---:|\n| Stowage | 64,500 | (45,500) |\n"
     "| **Total** | **2,338,400** | – |\n", [64500, 45500, 2338400]),
    ("  Item                                   GBP\n  IT, fit-out and equipping          578,800\n", [578800]),
    ("a variance of £0.00 against the £148,750.00 budget", [148750]),
    ("accept £450,000 of grant", [450000]),
    ("£1.45 Million", [1450000]),
    ("a £0.4m contract", [400000]),
    ("£500k over two years", [500000]),
    ("£1,510k in total", [1510000]),
    ("£2.940m budget", [2940000]),
    ("£1.84M", [1840000]),
    ("£379,675 p.a.", [379675]),
    ("between £2.6m and £3.4m per annum", [2600000, 3400000]),
    ("£495, 000 in 2022/23", [495000]),
    ("c£50m of works", [50000000]),
    ("£12,500.00", [12500]),
    ("GBP 25,000", [25000]),
    ("£3bn", [3000000000]),
    ("£31,469m in 2025-26 and £1,510m", [31469000, 1510000000]),
    ("upto £4,420,000 2023/24 funding", [4420000]),
    ("£450,000.00 from", [450000]),
    ("PIF Funding £700,00 (5)", [700000]),
    ("Table\n£\nTotal Allocated Funding\n4,782,000\nStaffing posts\n1,900,702\n", [4782000, 1900702]),
    ("Costs (£000)\nStaff\n1,250\n", [1250000]),
    # every figure cell of a Markdown row, and of a row a PDF laid out in columns; in £000, small ones too
    ("| Element | Provider | 2023/24 (£) |\n|---|---|---:|\n| Refuge support | Harbour Trust | 486,000 |\n",
     [486000]),
    ("Grant (£)         2025/26      2026/27       Total\nEstuary Safety CIC     85,000      85,000     170,000\n",
     [85000, 85000, 170000]),
    ("Funding (£000)          2025/26   2026/27\nBristol City Council         75        75\n", [75000, 75000]),
    ("In 2019 there were 2020 officers and 12 vans.", []),
]


@pytest.mark.parametrize(("text", "values"), MONEY)
def test_money_forms(text, values):
    assert [m.value for m in find_money(text, 0, len(text))] == [Decimal(v) for v in values]


def test_per_annum_is_marked():
    (m,) = find_money("£379,675 p.a.", 0, 13)
    assert m.per_annum


REFERENCES = [
    ("Reference code: PCD 1532\nPCD 1532 County Lines SMIN\n", "PCD 1532"),
    ("Key information\nReference code:\nDMPCD 2015 148\n", "DMPCD 2015 148"),
    ("REQUEST FOR DMPC DECISION – DMPCD 2013/96\nTitle: x\n", "DMPCD 2013 96"),
    ("MAYOR OF LONDON\nDECISION – MD2472\nTitle: Skills\n", "MD 2472"),
    ("DIRECTOR DECISION – DD2522\n", "DD 2522"),
    ("ASSISTANT DIRECTOR DECISION – ADD 2712\n", "ADD 2712"),
    ("Decision number: 44/2020\nTitle: Victims\n", "44/2020"),
    ("Decision Record 30/2024-25\nCommunity safety\n", "30/2024-25"),
    ("Reference number\nCPCC 2016-020\n", "CPCC 2016-020"),
    ("Report reference: PCC/DN/2023/017\n", "PCC DN 2023 017"),
    ("Reference: OPCC-D-2021-08\n", "OPCC-D-2021-08"),
    ("Signed decision document\nPCD 911 Piloting a Multi-Agency Response\n", "PCD 911"),
    # Markdown emphasis around a label, and a council's prefix before number/year
    ("**Decision number:** CAB 14/2023  \n**Meeting:** Cabinet\nThe scheme began under\ndecision CAB 09/2022.\n",
     "CAB 14/2023"),
    # a numbered label, a two-digit year
    ("RECORD OF AN OFFICER DECISION\n\n1.  Decision reference:   ODR 17/24\n\n2.  Title of decision:    Roof\n",
     "ODR 17/24"),
    # year, prefix and number
    ("# Key decisions\n\n## Key Decision No. 2025/KD/09\n\nActive Travel Fund grant.\n", "2025/KD/09"),
    # an inline label in a listing's item heading
    ("Decisions\n11/11/2024 - Library refit  ref: KD-2024-112\nThe Council agreed the refit.\n", "KD 2024 112"),
    # a code alone on its line under the heading that names the document; a code cited in a
    # sentence a PDF broke short is not a heading
    ("WESSEX FIRE AUTHORITY\nOfficer Decision Notice          Not protectively marked\n\nODN 2025-08\n\n"
     "Subject: Protection grant\nThe budget, approved\non 20 February 2025 (decision FA 2025/03), assumed it.\n",
     "ODN 2025-08"),
    # year and number, a financial year and number; a label with 'reference number' in a table row
    ("Decision number: 2024-017\nTitle: Parks\n", "2024-017"),
    ("Decision Log Number: 2023/24-017\nSubject: Parks\n", "2023/24-017"),
    ("| Decision reference number | DN/2024/009 |\n|---|---|\n", "DN 2024 009"),
    # another register's code before the decision's own
    ("FORWARD PLAN REF: FP/24/061\nDECISION REF: CAB/24/058\n", "CAB 24 058"),
    # a label in two languages
    ("Record of Delegated Decision\n\tReference / Cyfeirnod\tNWFRA/DD/2024/09\n\tTitle / Teitl\tGrant\n",
     "NWFRA DD 2024 09"),
    ("Penderfyniad / Decision\n\tCyfeirnod / Reference\tCMD/2025/041\n\tTeitl / Title\tGrant\n", "CMD 2025 041"),
    # a prefix, a two-digit year and a number after a label; a committee report's number
    ("Officer Decision Record\n\nDecision reference:      ODR 25-112\nTitle: CCTV\n", "ODR 25-112"),
    ("| Reference | JAC 25-118 |\n| Date | 2 May 2025 |\n", "JAC 25-118"),
    ("| **Report no.** | ECF/25/063 |\n| Committee | Education |\n", "ECF 25 063"),
    # a number alone after its label, ending the line; a numbered paragraph after a heading is none
    ("## Decision Record No. 155\n\n| **Title** | Victims' services |\n", "155"),
    # a second language's label of three words; 'Notice number'; a board minute's code opening its line
    ("Cofnod\n\tDecision number / Rhif y penderfyniad\tCFO 2025/167\n", "CFO 2025 167"),
    ("| Notice number | ODN 163/2025 |\n| Title | Chargepoints |\n", "ODN 163/2025"),
    ("Minutes of the Trust Board\n\nTB 25/166 Deerholt Elective Surgical Hub and its Full Business Case\n\n"
     "The Board approved the business case.\n", "TB 25/166"),
    # a committee's minute number
    ("Resources Committee\n\n| **Minute number** | RC/2024/117 |\n| Meeting | 4 December 2024 |\n", "RC 2024 117"),
    # a code under its label's column; then the code the text states most often, not a related one
    ("Recommendation by                     Decision Number\nAssistant Commissioner, Fire Safety   LFC-0912\n\n"
     "Report LFC-0912 seeks approval. In 2021/22 the LFC accepted a grant (LFC-0633).\n", "LFC-0912"),
    # dot leaders between a label and its code (read as a colon at ingest)
    ("OFFICER DECISION NOTICE\n\nReference ......................... TRCA/ODN/24/112\n"
     "Date of decision .................. 18 December 2024\n", "TRCA ODN 24 112"),
]


@pytest.mark.parametrize(("text", "expected"), REFERENCES)
def test_own_reference_forms(text, expected):
    regions = segment(leaders_as_colons(text))
    assert len(regions) == 1
    assert ref_key(regions[0][0].value) == ref_key(expected)


# The title of a decision in the layouts that hide it: (text, title).
TITLES = [
    # a labelled title a PDF broke over lines that start with capitals, ended by a blank line
    ("REQUEST FOR DMPC DECISION – DMPCD 2013 162\n\nTitle: Met Patrol Plus – additional officer agreements with "
     "the London\nBorough of Barnet and Heathrow Airport Limited\n\nExecutive Summary:\nPartners fund officers.\n",
     "Met Patrol Plus – additional officer agreements with the London Borough of Barnet and Heathrow Airport Limited"),
    # a breadcrumb is no title; nor is a link to the signed form ('(PDF, 188 KB)')
    ("Skip to main content\nWho we are / Mayor's Office for Policing and Crime / MOPAC decisions\nKey information\n"
     "Reference code: PCD 2089\nPCD 2089 VRU – Hospital youth work 2025-27\n", "VRU – Hospital youth work 2025-27"),
    ("Home › MOPAC › MOPAC decisions\n\nPolice Innovation Fund 2016/17 – Digital Case File\n\nReference code: \n"
     "DMPCD 2016 214\nDate signed: \n04 April 2016\n\nSigned decision\n"
     "DMPCD 2016 214 Police Innovation Fund | 188 KB\n",
     "Police Innovation Fund 2016/17 – Digital Case File"),
    # under a document-type heading holding the code, with a colon in it
    ("West Midlands Combined Authority\n\nDelegated Decision Notice DDN/2025/06\n\n"
     "Adult Skills Fund 2024/25: in-year growth awards to providers\n\n| Decision reference | DDN/2025/06 |\n"
     "| Decision taker | Dr Lena Okafor |\n", "Adult Skills Fund 2024/25: in-year growth awards to providers"),
    # after a block of labels, below a site's section bar and a document-type heading
    ("Hallamshire County Council | Democracy | Cabinet | Record of Decisions\n\nRecord of Cabinet Decision\n\n"
     "Decision number: CAB 14/2023\nMeeting: Cabinet, Monday 13 March 2023\nWards affected: All\n\n"
     "Domestic Abuse Safe Accommodation: New Burdens Grant 2023/24\n\nSummary of the issue\n",
     "Domestic Abuse Safe Accommodation: New Burdens Grant 2023/24"),
    # a labelled title a PDF broke over two lines
    ("Report reference: PFCC/009/25\nTitle of report: Violence and Vulnerability Grants 2025/26 and use\n"
     "of the Community Safety Reserve\nArea affected: Countywide\n",
     "Violence and Vulnerability Grants 2025/26 and use of the Community Safety Reserve"),
    # a labelled title a PDF laid out in columns, its lines indented to where the value starts
    ("Decision number:     012/2024\n\nTitle:               Victim services\n"
     "                     2024/25 – acceptance of grant\n\nOriginator:          Head of Commissioning\n",
     "Victim services 2024/25 – acceptance of grant"),
    # a heading a PDF broke over two lines under the code's heading
    ("Decision Record No. 2023/017\n\nMinistry of Justice Victim Funding\n2023/24 and 2024/25 – acceptance\n\n"
     "Executive Summary\n", "Ministry of Justice Victim Funding 2023/24 and 2024/25 – acceptance"),
    # a label and its value in the cells of a tabbed row
    ("Record of Decision\n\tDecision number\tPCC/D/2024/11\n\tTitle\tSerious Violence Duty: grant\n",
     "Serious Violence Duty: grant"),
    # a listing item: date, title, inline reference label, status
    ("Decisions\n11/11/2024 - Library refit: phase two ref: KD-2024-112  Recommendations Approved\n"
     "Decision Maker: Portfolio Holder\n", "Library refit: phase two"),
    # a tabbed table row below the heading is not a title; the line above the table is
    ("Decision Notice 2024/19\nISVA service 2024/25 - grant awards\n\tDecision number\t2024/19\n"
     "\tDecision by\tGwen Price, Police and Crime Commissioner\n", "ISVA service 2024/25 - grant awards"),
    # a label in two languages; a numbered label and its value in columns, the value wrapped
    ("Cabinet Member Decision Notice\n\tCyfeirnod / Reference\tCMD/2025/041\n\tTeitl / Title\tHousing Support Grant "
     "2025/26\n", "Housing Support Grant 2025/26"),
    ("OFFICER KEY DECISION RECORD\n\n1.  Decision reference          KD/2025/117\n\n"
     "2.  Title                       Homelessness prevention: variation of the\n"
     "                                Floating Support contract 2025/26\n\n3.  Decision taker   Marcus Holt\n",
     "Homelessness prevention: variation of the Floating Support contract 2025/26"),
    # a line that stops on 'and' goes on; a value cell wrapped onto the next row of a drawn table
    ("Reference:\nED/2025/152\nDecision title:\nUK Shared Prosperity Fund 2025/26 – Grants and\n"
     "Wayfinding Contract\nDecision Maker:\nCouncillor Nadia Fair\n",
     "UK Shared Prosperity Fund 2025/26 – Grants and Wayfinding Contract"),
    ("| Decision record no. | PFCC DR 077/2025                          |\n"
     "| Subject             | Safer Roads Partnership 2025/26 - police  |\n"
     "|                     | and fire contributions                    |\n| Commissioner | Rebecca Lyle |\n",
     "Safer Roads Partnership 2025/26 - police and fire contributions"),
    # the page's heading restates the code; a link to the signed record is no title
    ("JAC 25-118: Internal audit plan 2025/26\nReference\tJAC 25-118\nDate\t24 July 2025\n",
     "Internal audit plan 2025/26"),
    ("Decision details\nBus Grant 2025/26 – allocations to operators\nDecision Maker: Mayor of Mardale\n"
     "Is subject to call in?: Yes\nMayoral decision reference: MCA/MD/118/25\nPurpose:\n"
     "MCA/MD/118/25 signed decision notice PDF 322 KB\n", "Bus Grant 2025/26 – allocations to operators"),
    # a blog's posting line is no title
    ("Decision Notice 2025/081 – Rural and Wildlife Crime: drone capability\n"
     "Posted on March 12, 2025 by OPCC Communications\n\tDecision number\tDN 2025/081\n\tDecision type\tKey\n",
     "Rural and Wildlife Crime: drone capability"),
    # an agenda item under the committee's heading, below the site's name
    ("Glenmorven Council | Committee Management Information System\n\nDecision of the Education Committee\n\n"
     "Item 9: Whole Family Wellbeing Funding 2025/26\n\n| Report no. | ECF/25/063 |\n",
     "Whole Family Wellbeing Funding 2025/26"),
]


@pytest.mark.parametrize(("text", "title"), TITLES)
def test_title_forms(text, title):
    from kg.extract.titles import find_title

    own, start, end = segment(text)[0]
    assert find_title(text, start, end, own).value == title


def test_a_numbered_paragraph_under_a_decision_heading_is_no_code():
    assert segment("Decision\n1. The PCC approves a grant of £5,000.\n") == []


def test_listing_pages_become_several_decisions():
    text = ("Decisions made in March\n\nDN 19/2023 - Drug testing\nWe accept £5k.\n\n"
            "DN 20/2023 - Custody contract\nWe buy things.\n\nDN 21/2023 - Youth grant\nA grant of £9k.\n")
    assert [r[0].value for r in segment(text)] == ["DN 19/2023", "DN 20/2023", "DN 21/2023"]


def test_a_decision_log_table_is_a_decision_a_row_its_fields_from_its_cells():
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    text = ("Decision log: May 2025\n\n| Ref. | Date | Decision | Decision maker | Forward Plan ref. |\n"
            "|---|---|---|---|---|\n"
            "| MDN 25-135 | 02/05/2025 | **Adult Skills Fund 2025/26 – allocations.** The Mayor approved £38,460,200. "
            "| Karen Howe, Mayor of Three Dales | FP 2025/009 |\n"
            "| ODN 25-137 | 21/05/2025 | Borrowing from the PWLB. Approval to take a £15,000,000 loan. "
            "| Leonie Hart, Chief Finance Officer | FP 2025/011 |\n")
    decisions = extract_decisions(SourceText("log.md", "log.md", "0" * 16, "text/markdown", text))
    assert [(d.reference.value, d.title.value, d.maker_name.value, d.date_signed.value) for d in decisions] == [
        ("MDN 25-135", "Adult Skills Fund 2025/26 – allocations", "Karen Howe", "2025-05-02"),
        ("ODN 25-137", "Borrowing from the PWLB", "Leonie Hart", "2025-05-21")]
    assert [a.value for a in decisions[1].amounts] == [15000000]


def test_listing_items_start_at_their_heading_not_at_their_trailing_link():
    text = ("Decisions – March 2025\n"
            "PCC/D/2025/014 – Drones\nDate of decision\n3 March 2025\nValue\n£38,600\n"
            "Decision record PCC/D/2025/014 (PDF, 212 KB)\n"
            "PCC/D/2025/015 – Violence Reduction Unit\nDate of decision\n11 March 2025\n"
            "Decision record PCC/D/2025/015 (PDF, 344 KB)\n")
    regions = segment(text)
    assert [text[s:e].split("\n")[0] for _, s, e in regions] == ["PCC/D/2025/014 – Drones",
                                                                  "PCC/D/2025/015 – Violence Reduction Unit"]


RELATED = [
    # a plural prefix carried to the next number
    ("both optional years were taken up through PCDs 1290 and 1366.", ["PCD 1290", "PCD 1366"]),
    ("funding approved in PCD-956 and PCD-1218", ["PCD 956", "PCD 1218"]),
    ("see PCD884 and [PCD583 and PCD986]", ["PCD 884", "PCD 583", "PCD 986"]),
    ("as approved under DMPCD 2013/96", ["DMPCD 2013 96"]),
    ("under Mayoral Decision (MD)3274 and DD2522", ["MD 3274", "DD 2522"]),
    ("DMPC decisions (PCD 890 and 1561)", ["PCD 890", "PCD 1561"]),
    ("renewing the arrangement under Decision 43/2020", ["43/2020"]),
    ("the earlier decision\nCMD-23-044 refers", ["CMD-23-044"]),
    ("The grant for 2024/25 was accepted under ODN 2024-11.", ["ODN 2024-11"]),
    # a cue that opens the code; a list after a cue; 'varies' and 'see also'; '(ref. ...)'
    ("Lot 1 was awarded separately under DN 2025/087.", ["DN 2025 087"]),
    ("the approach taken in 2024/25 under decisions 021/2024\nand 024/2024.", ["021/2024", "024/2024"]),
    ("This varies PFCC 2024/088. See also PFCC 2025/064.", ["PFCC 2024 088", "PFCC 2025 064"]),
    ("set up by the original decision (ref. 2023/046) under", ["2023/046"]),
    ("The capital programme approved by Cabinet in February 2025 (minute CAB 47/24) will be updated.", ["CAB 47/24"]),
    # codes of other registers: a framework, a tender, a contract's registration
    ("the Emergency Services Vehicles framework (ref. ESV/FW/2022/03) and the tender, reference OPCC-T-2024-19. "
     "The contract will be registered as FEN/C/2025/022.", []),
]


@pytest.mark.parametrize(("text", "expected"), RELATED)
def test_related_decision_forms(text, expected):
    own_text = "Reference code: PCD 1\n" + text
    own, start, end = segment(own_text)[0]
    assert [ref_key(r.value) for r in related(own_text, start, end, own)] == [ref_key(e) for e in expected]


PROVISIONS = [
    ("Schedule 3, Paragraph 7", [(("schedule", "3"), ("paragraph", "7"))]),
    ("section 149(1)", [(("section", "149"), ("", "1"))]),
    ("regulation 32(2)(b)(ii)", [(("regulation", "32"), ("", "2"), ("", "b"), ("", "ii"))]),
    ("Section 32 (2) (b) (ii) and (iii)", [(("section", "32"), ("", "2"), ("", "b"), ("", "ii")),
                                           (("section", "32"), ("", "2"), ("", "b"), ("", "iii"))]),
    ("sections 30, 34 and 38", [(("section", "30"),), (("section", "34"),), (("section", "38"),)]),
    ("paragraph 14 of Schedule 11", [(("schedule", "11"), ("paragraph", "14"))]),
    ("Section. 22A", [(("section", "22A"),)]),
    ("s22A", [(("section", "22A"),)]),
    ("article 35", [(("article", "35"),)]),
    # ranges cite every provision in them; a dash only joins numbers it touches
    ("ss.8-9", [(("section", "8"),), (("section", "9"),)]),
    ("sections 5 to 7", [(("section", "5"),), (("section", "6"),), (("section", "7"),)]),
    ("ss.30-31 and 34", [(("section", "30"),), (("section", "31"),), (("section", "34"),)]),
    ("ss.22A-22C", [(("section", "22A"),), (("section", "22B"),), (("section", "22C"),)]),
]


@pytest.mark.parametrize(("text", "parts"), PROVISIONS)
def test_provision_grammar(text, parts):
    assert parse_chain(text) == parts


CITATIONS = [
    ("under Schedule 3, Paragraph 7 of the Police Reform and Social Responsibility Act 2011",
     ("ukpga/2011/13", "schedule 3 paragraph 7")),
    ("the duty in section 149(1) of the Equality Act 2010", ("ukpga/2010/15", "section 149 1")),
    ("regulation 32(2)(b)(ii) of the Public Contracts Regulations 2015", ("uksi/2015/102", "regulation 32 2 b ii")),
    ("Under Article 35 of the General Data Protection Regulation (GDPR)", ("eur/2016/679", "article 35")),
    ("a collaboration under s.22A of the Police Act 1996", ("ukpga/1996/16", "section 22a")),
    ("compliant with Public Contract Regulations.", ("uksi/2015/102", "")),
    ("Section 57 of the DPA 2018", ("ukpga/2018/12", "section 57")),
    ("the Widget Licensing (Amendment) Order 2031 applies", (None, "")),
    ("under the Police and Reform and Social Responsibility Act 2011", ("ukpga/2011/13", "")),
    ("Anti-social Behaviour, Crime and Policing Act 2014 Section 143", ("ukpga/2014/12", "section 143")),
    # an inserted section's number
    ("the duty to promote integration under section 14Z42 of the National Health Service Act 2006",
     ("ukpga/2006/41", "section 14z42")),
    # an instrument made under an Act and titled after it is not the Act
    ("as required by regulation 8 of the Equality Act 2010 (Statutory Duties) (Wales) Regulations 2011",
     ("wsi/2011/1064", "regulation 8")),
    ("commenced by the Localism Act 2011 (Commencement No. 9) Order 2031", (None, "")),
    # 'the same Act' is the Act named last
    ("under paragraph 7 of Schedule 3 to the Police Reform and Social Responsibility Act 2011. The grant is a crime "
     "and disorder reduction grant under section 9 of the same Act.", ("ukpga/2011/13", "section 9")),
    # a title that is a list keeps its commas; a comma before a title is no part of it
    ("under s.86 of the Apprenticeships, Skills, Children and Learning Act 2009", ("ukpga/2009/22", "section 86")),
    ("In London, Greater London Authority Act 1999 section 30 gives the power", ("ukpga/1999/29", "section 30")),
    # a range of sections; a dash with spaces round it is not a range
    ("duties under ss.8-9 of the Police, Crime, Sentencing and Courts Act 2022", ("ukpga/2022/32", "section 9")),
    ("section 2 of the Localism Act 2011 - 2019 review", ("ukpga/2011/20", "section 2")),
    # a comma inside a title's brackets
    ("under the Health Protection (Coronavirus, Restrictions) (England) Regulations 2020 it was",
     ("uksi/2020/350", "")),
]


@pytest.mark.parametrize(("text", "expected"), CITATIONS)
def test_citations_resolve_to_legislation_ids(text, expected):
    from kg.graph import provision_path

    cites = {(c.legislation_id, provision_path(c.provision)) for c in find_citations(text, 0, len(text))}
    assert expected in cites


def test_unknown_instruments_are_kept_unresolved():
    text = "powers in section 4 of the Widget Licensing (Amendment) Order 2031"
    (cite,) = find_citations(text, 0, len(text))
    assert cite.title == "Widget Licensing (Amendment) Order 2031" and not cite.resolved


@pytest.mark.parametrize("text", ["They understand their GDPR responsibilities.",
                                  "This form is subject to the FoIA and will be published."])
def test_topic_acronyms_are_not_citations(text):
    assert find_citations(text, 0, len(text)) == []


DELEGATIONS = [
    # a clause in a part of a section of the scheme, named before it
    ("The decision falls within paragraph 5.9 of Part 3, Section 5 of the Constitution.",
     ("Constitution", "part 3 section 5 paragraph", "5.9")),
    # the clause's place in the scheme after the scheme's name, parts numbered or lettered
    ("Officer Scheme of Delegation, Part 2, paragraph 3.14 (acceptance of grants)",
     ("Officer Scheme of Delegation", "part 2 paragraph", "3.14")),
    ("Under the Scheme of Corporate Governance, Section C, paragraph 3.2, the Commissioner may",
     ("Scheme of Corporate Governance", "section C paragraph", "3.2")),
    # clause numbers that open with a letter
    ("as required by paragraph B12 of the Financial Regulations.", ("Financial Regulations", "paragraph", "B12")),
    ("Under paragraph B.12 of the Financial Procedure Rules, a member", ("Financial Procedure Rules", "paragraph",
                                                                         "B.12")),
    ("pursuant to Paragraph 4.8 of the MOPAC Scheme of Consent and Delegation which",
     ("MOPAC Scheme of Consent and Delegation", "paragraph", "4.8")),
    ("Para 4.8 of the MOPAC Scheme of Delegation and Consent provides",
     ("MOPAC Scheme of Consent and Delegation", "paragraph", "4.8")),
    ("under the MOPAC Scheme of Delegation and Consent (4.8).",
     ("MOPAC Scheme of Consent and Delegation", "paragraph", "4.8")),
    ("in line with article 8.55 of the Interim Scheme of Governance.",
     ("Interim Scheme of Governance", "article", "8.55")),
    ("Under Financial Regulations paragraph 4.2, contracts", ("Financial Regulations", "paragraph", "4.2")),
    # one rule of a set names the set; its number is a rule
    ("4.3  Contract Procedure Rule 12.3 permits a direct award", ("Contract Procedure Rules", "rule", "12.3")),
    ("Under rule 21.4 of the Contract and Grant Procedure Rules, a variation",
     ("Contract and Grant Procedure Rules", "rule", "21.4")),
    # a path of parts and sections before the clause
    ("The delegation is made under Part 3, Section 4, paragraph 4.7 of the Constitution.",
     ("Constitution", "part 3 section 4 paragraph", "4.7")),
    # NHS bodies' schemes, after 'its'
    ("in line with paragraph 9.2 of its Standing Financial Instructions.",
     ("Standing Financial Instructions", "paragraph", "9.2")),
    ("taken under section 6.3 of the ICB's Scheme of Reservation and Delegation and",
     ("ICB's Scheme of Reservation and Delegation", "section", "6.3")),   # owner kept, as in 'PCC's Scheme ...'
]


@pytest.mark.parametrize(("text", "expected"), DELEGATIONS)
def test_delegation_clause_forms(text, expected):
    found = [(d.scheme_name, d.clause_kind, d.clause_number) for d in find_delegations(text, 0, len(text))]
    assert found == [expected]


def test_the_decisions_own_paragraph_numbers_are_not_clauses():
    text = "4.1. The MOPAC Scheme of Consent and Delegation (October 2016) applies. 4.8 Finance."
    assert find_delegations(text, 0, len(text)) == []


DATES = [("12 March 2021", "2021-03-12"), ("3rd June 2019", "2019-06-03"), ("12/03/2021", "2021-03-12"),
         ("12.3.21", "2021-03-12"), ("2021-03-18", "2021-03-18"), ("February 8th, 2016", "2016-02-08"),
         ("Dated this 9th day of August 2022", "2022-08-09"), ("19th Aug 2016", "2016-08-19")]


@pytest.mark.parametrize(("text", "iso"), DATES)
def test_date_forms(text, iso):
    assert [d.isoformat() for _, _, d in find_dates(text, 0, len(text))] == [iso]


NAMES = [("Sophie Linden (Past staff)", "Sophie Linden"),
         ("PCC Lisa Townsend (wet copy held in OPCC)", "Lisa Townsend"),
         ("Cllr Nadia Rahman-Hurst", "Nadia Rahman-Hurst"), ("Philip Seccombe TD", "Philip Seccombe"),
         ("Deputy Mayor for Policing and Crime", None), ("[signature]", None),
         ("Siân Morrow", "Siân Morrow"), ("Cllr Seán Ó Briain", "Seán Ó Briain")]


@pytest.mark.parametrize(("raw", "name"), NAMES)
def test_decision_maker_names_are_stripped_of_decoration(raw, name):
    assert clean_name(raw) == name


MPS = "metropolitan-police-service"
# Who pays whom, per sum: each text is one MOPAC decision (so MOPAC decides); (value, funder, recipient)
# keys of the flows found (a name the registry lacks is keyed by its
# normalised words), in text order. Words in the cases are our own; the forms are real ones.
FLOWS = [
    # a list of name-and-sum pairs after the first says who gets each ('A is to receive £X, B £Y and C £Z')
    ("Decision reference: CAB-2023-019\nRESOLVED: that grants be paid, of which Kestrel Youth Trust is to receive "
     "£402,000, Moorside Community Kitchens CIC £318,500 and Riverbank Sports Foundation £192,500.\n",
     [(402000, None, "kestrel youth trust"), (318500, None, "moorside community kitchen"),
      (192500, None, "riverbank sport foundation")]),
    # a breakdown shares the parties stated for the whole or a part
    ("PCD 9001 Rural teams\nMOPAC approves funding of £710,000 (£640,000 in 2024/25 and £70,000 in 2025/26) "
     "to the Metropolitan Police Service.",
     [(710000, "mopac", MPS), (640000, "mopac", MPS), (70000, "mopac", MPS)]),
    ("PCD 9002 CCTV\nMOPAC approves expenditure of £612,400 over three years, comprising £420,000 of capital "
     "and £192,400 of revenue.",
     [(612400, "mopac", None), (420000, "mopac", None), (192400, "mopac", None)]),
    # sums after which the words say the money is the body's own
    ("PCD 9003 Custody\nThe works will be funded by £1.45m from the approved capital programme and £250k "
     "from the force revenue budget.",
     [(1450000, "mopac", None), (250000, "mopac", None)]),
    # ...but a sum merely said to fit within budgets names no funder
    ("PCD 9004 Vans\nThe sum of £950k is contained within approved budgets.", [(950000, None, None)]),
    # 'the contract' in a sentence without parties is the contract named just before
    ("PCD 9005 Adults\nMOPAC buys this service through a contract with Northgate Advocacy Ltd. "
     "The contract runs until March 2026 at an annual value of £1,510k.",
     [(1510000, "mopac", "northgate advocacy")]),
    # a sum each body of a list receives
    ("MD 9010 Night safety\nThe Mayor approves grants of £75,000 each to the London Borough of Camden, "
     "the London Borough of Hackney and Westminster City Council.",
     [(75000, "greater-london-authority", "lb-camden"),
      (75000, "greater-london-authority", "lb-hackney"),
      (75000, "greater-london-authority", "westminster-city-council")]),
    # the award of a contract, however long its description, names its supplier for every sum
    ("PCD 9011 Cameras\nMOPAC approved the award of a five-year managed service contract for body worn "
     "video (BWV) cameras, docking hardware and cloud storage to Halvergate Systems Ltd. The contract was let "
     "at an annual value of £1.35m, a total of £6.75m over five years.",
     [(1350000, "mopac", "halvergate system"), (6750000, "mopac", "halvergate system")]),
    # a subject that distributes, invests or spends the sum pays it
    ("PCD 9006 Knives\nIn 2023/24 MOPAC distributed £1,020,000 to fourteen small charities.",
     [(1020000, "mopac", None)]),
    # buying or calling off goods from a supplier makes it the recipient, not a funder
    ("PCD 9007 Cameras\nThe MPS call-off of cameras and docks from Halcyon Vision Systems Ltd at a total cost of "
     "£7.46m, of which £1.12m is revenue.",
     [(7460000, "mopac", "halcyon vision system"), (1120000, "mopac", "halcyon vision system")]),
]


@pytest.mark.parametrize(("text", "flows"), FLOWS, ids=[t.split("\n")[0] for t, _ in FLOWS])
def test_money_flow_forms(text, flows):
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    (decision,) = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    found = [(int(a.value), a.funder.key if a.funder else None, a.recipient.key if a.recipient else None)
             for a in decision.amounts]
    assert found == flows


def test_a_table_cells_year_is_its_columns():
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    text = ("Decision Record GPCC-D-2024-077\nSafer Streets grants\nI approve the grants below.\n\n"
            "| Recipient | 2024/25 | 2025/26 | Total |\n|---|---:|---:|---:|\n"
            "| Greyhaven City Council | £186,000 | £124,500 | £310,500 |\n"
            "| North Wolds District Council | £92,400 | £61,600 | £154,000 |\n\n"
            "Signed: L. Feltwell\nPolice and Crime Commissioner for Greyhaven  \nDate: 7 June 2024\n")
    (decision,) = extract_decisions(SourceText("case.md", "case.md", "0" * 16, "text/markdown", text))
    periods = {int(a.value): a.period for a in decision.amounts}
    assert periods == {186000: "2024/25", 124500: "2025/26", 310500: None,
                       92400: "2024/25", 61600: "2025/26", 154000: None}


@pytest.mark.parametrize("text", ["Police and Crime Commissioner for Greyhaven  \nDate: 7 June 2024",
                                  "Date\nGreyhaven Police and Crime Commissioner"])
def test_a_commissioners_area_ends_with_its_line(text):
    import re

    from kg.extract.cues import cues

    found = [m.group() for p in cues("orgs")["self_patterns"] if p["kind"] == "pcc"
             for m in re.finditer(p["regex"], text)]
    assert found and not any("Date" in f for f in found)


# Who decided and when, in the layouts that hide it: (text, maker name, date signed).
MAKERS = [
    # signed with initials, named in full under the signature
    ("REQUEST FOR DMPC DECISION – DMPCD 2014 57\nIDVA grants\nThe above request has my approval.\n"
     "Signature\nR Ashcombe\nRichard Ashcombe, Deputy Mayor for Policing and Crime\nDate 2/6/2014\n",
     "Richard Ashcombe", "2014-06-02"),
    # an officer's sign-off block ('Chief Fire Officer', 'I recommend') before the maker's
    ("Decision Record FFA/2024/089\nHose reels\n8. Declarations\nChief Fire Officer\nI recommend this decision.\n"
     "Signed: Gareth Lowe, Chief Fire Officer\nDate: 7 October 2024\nPolice, Fire and Crime Commissioner\n"
     "I approve the decision set out above.\nSigned: Dana Ashworth\nDate: 14 October 2024\n",
     "Dana Ashworth", "2024-10-14"),
    # the maker signs under a finance heading; their name finds their date
    ("Decision Notice 2024/19\nISVA grants\n\tDecision by\tGwen Price, Police and Crime Commissioner\n"
     "7. Chief Finance Officer\nThe grant conditions have been reviewed.\nSigned: Gwen Price\n"
     "Police and Crime Commissioner\nDate: 12/09/2024\n", "Gwen Price", "2024-09-12"),
    # 'Sign: / Print:' blocks: the officers' first, the Commissioner's last
    ("Report reference: PFCC/009/25\nTitle: Grants\nChief Executive / Monitoring Officer\nSign: [signed]\n"
     "Print: Helena Varga\nDate: 27/01/2025\n\nDecision and Publication\nRecommendations are agreed.\n\n"
     "Sign: [signed]\nPrint: Roderick Tennant\nPolice, Fire and Crime Commissioner\nDate signed: 03/02/2025\n",
     "Roderick Tennant", "2025-02-03"),
    # a decision log: 'Date:' under the number; a post named in a sentence is no sign-off heading
    ("Decision number: PC/25/016\n\nDate: 14/04/25\n\nTitle: ASB hotspots\n\nThis decision is taken by the\n"
     "Head of Policing and Crime under paragraph 4.2 of the Scheme.\n\nSigned: Dominic Sayer, Head of Policing\n",
     "Dominic Sayer", "2025-04-14"),
    # a name with the date in the next column; an officer's statement naming the Commissioner's
    # powers is not the Commissioner's block
    ("Executive Decision Notice 014/2024\nStation\nChief Executive and Monitoring Officer\n"
     "I confirm that the decision is within the Commissioner's powers and\nthat legal advice has been taken.\n"
     "Name: Vivienne Arm                 Date: 18 March 2024\n\nI approve the decisions set out in section 2.\n"
     "Signature:  G. Orpen-Wyatt                           Date:  21/03/2024\n", "G. Orpen-Wyatt", "2024-03-21"),
    # a name marked '[signed]' under the maker's heading, the officers' below
    ("Record of Decision\n\tDecision number\tPCC/D/2024/11\n\tTitle\tSerious Violence Duty\nSignatures\n"
     "Police and Crime Commissioner\nRebecca Thornbury [signed]  Date: 03/04/2024\nChief Executive\n"
     "Adrian Colley   Date: 02/04/2024\n", "Rebecca Thornbury", "2024-04-03"),
    # a listing item: the date opens its heading, the maker opens a sentence
    ("Decisions\n18/11/2024 - Leisure centre roof ref: ODN-2024-37  For Determination\nDecision Maker: Director\n"
     "Decision:\nHelen Marchetti, Director of Place, approved a variation to the roofing contract.\n",
     "Helen Marchetti", "2024-11-18"),
    # 'I, NAME, POST, have decided:' opens the decision
    ("Record of Executive Decision ED/2025/152\nDate of Decision:\n2 April 2025\n\n1. DECISION\n\n"
     "I, Councillor Rosalind Fairweather, Portfolio Holder for Housing and\nCommunities, have decided:\n",
     "Rosalind Fairweather", "2025-04-02"),
    # the printed name below the signature line, the date beside it
    ("PCD 2147 Serious violence\nDeputy Mayor for Policing and Crime\nThe above request has my approval.\n\n"
     "Signature                                        Date   14/07/2025\n\nHarriet Okafor-Lane\n\n\n"
     "PART I - NON-CONFIDENTIAL FACTS\n", "Harriet Okafor-Lane", "2025-07-14"),
    # a signature table: the row whose role decides, not the officers' rows above and below it
    ("Decision notice DN 2025/081\nDrones\n\tRole\tName\tSignature\tDate\n"
     "\tChief Finance Officer\tAlison Ford CPFA\t(electronically signed)\tMarch 6, 2025\n"
     "\tPolice and Crime Commissioner for Humberside\tGraham Ince QPM\t(electronically signed)\tMarch 10, 2025\n",
     "Graham Ince", "2025-03-10"),
    ("Officer decision ODR 118/2025\nSignatures\n\tCapacity\tName\tSignature\tDate\n"
     "\tMonitoring Officer\tSanjeev Lynd\t[signed]\t04 Apr 2025\n"
     "\tDecision taker: Interim Director of Finance (Section 151 Officer)\tGareth Mbeki\tG. M.\t07 Apr 2025\n"
     "\tCountersigned: Chief Executive\tRosalind Ashe MBE\t[signed]\t08 Apr 2025\n", "Gareth Mbeki", "2025-04-07"),
    # the post approving, then the name under it (with post-nominals)
    ("PCD 2163 Advocacy\n**Approved by the Deputy Mayor for Policing and Crime**\nKemi Adebayo-Hart OBE\n\n"
     "Signed: [signature on file]          Date: 17th March 2025\n", "Kemi Adebayo-Hart", "2025-03-17"),
]


@pytest.mark.parametrize(("text", "name", "signed"), MAKERS)
def test_maker_and_date_forms(text, name, signed):
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    (decision,) = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    assert decision.maker_name.value == name
    assert decision.date_signed.value == signed


def test_a_decision_taken_at_a_meeting_is_dated_by_the_meeting():
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    text = ("HALLAM COUNCIL\nMinutes of the Cabinet\nMeeting: Cabinet, Monday 13 March 2023, 10.00am\n"
            "Decision reference: CAB-2023-019\nRESOLVED: that the grant be accepted.\n")
    (decision,) = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    assert decision.date_signed.value == "2023-03-13"


# The deciding body, from the page: (text, the issuer's key or name key, per decision).
BODIES = [
    ("DORSET & WILTSHIRE FIRE AND RESCUE AUTHORITY\nOfficer Decision Notice\n\nODN 2025-08\n\n"
     "The Authority accepts the grant.\n", ["dorset and wiltshire fire and rescue authority"]),
    # a long heading in capitals, its small words in small letters once title-cased
    ("**OFFICE OF THE POLICE AND CRIME COMMISSIONER FOR LEICESTER, LEICESTERSHIRE AND RUTLAND**\n\n"
     "Decision reference: PCC-DR-2024-088\nThe Commissioner approves the grants.\n",
     ["office of police and crime commissioner for leicester leicestershire and rutland"]),
    ("HAMPSHIRE COUNTY COUNCIL\n\nDecision Report\nDecision Ref: EMCPI-2024-22\n"
     "The Police and Crime Commissioner for Hampshire adds £75,000.\n", ["hampshire-county-council"]),
    # a town council in a grants table is a recipient; the district council in the footer decides
    ("Decisions\n11/11/2024 - Grants ref: KD-2024-112  Approved\nWyvernbridge Town Council\t£22,400\n"
     "18/11/2024 - Roof ref: ODN-2024-37  Approved\nThe roof is replaced.\n"
     "Privacy\nWyvernbridge District Council, Council Offices, Abbey Road\n",
     ["wyvernbridge district council", "wyvernbridge district council"]),
    # a listing page's body decides each of its decisions, whoever a decision names first
    ("West Yorkshire Combined Authority\nDecision log\n\nDecision number: PC/25/016\nA grant to councils.\n\n"
     "Decision number: PC/25/015\nAn agreement with the Police and Crime Commissioner for Humberside.\n",
     ["west-yorkshire-combined-authority", "west-yorkshire-combined-authority"]),
    # a heading in capitals beside another column, or inside a box drawn with pipes
    ("KESTRELBURY DISTRICT COUNCIL                          OFFICIAL\nRecord of Executive Decision ED/2025/152\n"
     "The Council accepts £10,000.\n", ["kestrelbury district council"]),
    ("+--------------------------------------------------------+\n"
     "|     POLICE, FIRE AND CRIME COMMISSIONER FOR DUNMOOR     |\n| Decision record no. | PFCC DR 077/2025 |\n"
     "Dunmoor County Council contributes £310,000.\n", ["police fire and crime commissioner for dunmoor"]),
    # a council named by one word heads the page; further down such names are other bodies
    ("Glenmorven Council | Committee Management Information System\n\nReport no.: ECF/25/063\n"
     "Kinloch Council receives £5,000.\n", ["glenmorven council"]),
    # a fire authority without 'and Rescue'; an integrated care board
    ("Decision notice CFOD 2025-314\nPennant Vale Combined Fire Authority varies the contract.\n"
     "The Police and Crime Commissioner for Pennant Vale pays £96,000.\n", ["pennant vale combined fire authority"]),
    ("Decision reference: DEC/25-26/209\nNHS Calder and Holme Integrated Care Board pays £875,000 to "
     "Calderside Metropolitan Borough Council.\n", ["nhs calder and holme integrated care board"]),
]


@pytest.mark.parametrize(("text", "bodies"), BODIES)
def test_deciding_body_forms(text, bodies):
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    decisions = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    assert [d.issuer.key for d in decisions] == bodies


def test_a_pages_title_names_the_deciding_body_its_text_names_late():
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    text = ("Decision details\nMayoral decision reference: MCA/MD/118/25\nGrants of £2,700,000 to Brackenholme "
            "Metropolitan Borough Council.\nThe Combined Authority keeps £640,000.\n")
    doc = SourceText("case.html", "case.html", "0" * 16, "text/html", text,
                     page_title="Decision - Bus grant | Mardale Combined Authority")
    (decision,) = extract_decisions(doc)
    assert decision.issuer.key == "mardale combined authority"
    untitled = SourceText("case.html", "case.html", "0" * 16, "text/html", text)
    assert extract_decisions(untitled)[0].issuer.key == "brackenholme metropolitan borough council"


TABLE_FLOWS = [
    # a Markdown table of providers: each row's sums go to the provider, the total to nobody
    ("PCD 9101 Skills\nMOPAC increases the allocations below.\n\n| Provider | Original | Growth |\n|---|---:|---:|\n"
     "| Tamebridge College | £2,410,000 | £185,000 |\n| Total | £2,410,000 | £185,000 |\n",
     [(2410000, "mopac", "tamebridge college"), (185000, "mopac", "tamebridge college")]),
    # a tabbed table whose header names the sources of the money
    ("PCD 9102 ISVA\nThe Commissioner accepts the funding below.\n\tSource of funding\t2024/25\n"
     "\tMinistry of Justice\t£412,560\n\tTotal available\t£500,000\n",
     [(412560, "ministry-of-justice", "mopac"), (500000, None, None)]),
    # the deciding body's own budget lines (not its income) are its spending
    ("PCD 9105 Budget\nThe plan is below.\n\tItem\tCost\n\tContingency, unallocated\t£190,000\n"
     "\tIncome from fees\t£20,000\n", [(190000, "mopac", None), (20000, None, None)]),
    # a row naming a fund before its recipient names no party by the row
    ("PCD 9103 Grants\nThe Commissioner approves the grants.\n\tFunding source\tAmount\n"
     "\tCommunity Safety Fund - Usk Vale Trust\t£25,000\n", [(25000, None, None)]),
    # a column table whose first header names the kind of recipient ('Centre')
    ("PCD 9108 Rape crisis grants\nThe grants recommended are:\n\nCentre                          Area covered"
     "          Grant (up to)\nWandle Rape Crisis Centre       South London          £171,500\n",
     [(171500, "mopac", "wandle rape crisi centre")]),   # the key drops plural s
    # a table with one pipe a row ('Southwark | 245,000') under a header that gives the unit
    ("PCD 9107 Knife crime\nMOPAC will allocate the fund to boroughs as below.\n\n"
     "Borough | Allocation (£)\nSouthwark | 245,000\nLambeth | 240,000\nTotal | 485,000\n",
     [(245000, "mopac", "southwark"), (240000, "mopac", "lambeth"), (485000, "mopac", None)]),
    # a £000 table whose header holds the unit and whose rows hold decimals: each row its borough's
    ("PCD 9110 LCPF\nThe DMPC approves the allocations below.\n\n     Borough                 2014/15 (£000)\n"
     "     Barking & Dagenham               496.8\n     Barnet                           522.5\n",
     [(496800, "mopac", "barking and dagenham"), (522500, "mopac", "barnet")]),
    # a table of community safety partnerships (tabbed, an HTML table) names its rows' recipients
    ("PCD 9109 Serious violence duty\nTable 1: allocations to CSPs, 2025/26 (£)\n"
     "\tCommunity Safety Partnership\tLabour\tTotal 2025/26\n\tCroydon\t24,000\t145,300\n",
     [(24000, "mopac", "croydon"), (145300, "mopac", "croydon")]),
    # a list of 'Name – £X' items under a sentence about grants: each item's name gets its sum;
    # a line item ('Small grants and contingency') names nobody
    ("PCD 9106 Serious violence\nThe following grants are recommended:\n\n"
     "- StreetDoctors – £24,000, to deliver first-aid sessions\n- Rutland County Council – £12,750, for outreach\n"
     "- Small grants and contingency – £6,500\n",
     [(24000, "mopac", "streetdoctor"), (12750, "mopac", "rutland county council"), (6500, None, None)]),
]


@pytest.mark.parametrize(("text", "flows"), TABLE_FLOWS)
def test_table_row_parties(text, flows):
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    (decision,) = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    found = [(int(a.value), a.funder.key if a.funder else None, a.recipient.key if a.recipient else None)
             for a in decision.amounts]
    assert found == flows


def test_a_column_table_under_funded_by_names_its_funders():
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    text = ("PCD 9104 Victim care\nTable 1: Contract price and funding (£000)\n\n"
            "                               2025/26   2026/27     Total\n"
            "Contract price                   1,720     1,754     3,474\n\nFunded by:\n"
            "  Bristol City Council              75        75       150\n")
    (decision,) = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    funders = {int(a.value): a.funder.key if a.funder else None for a in decision.amounts}
    assert funders[150000] == "bristol-city-council"  # a row's closing figure is read as a sum


def test_a_column_table_names_its_providers_and_not_its_header():
    from kg.extract import extract_decisions
    from kg.extract.orgs import find_orgs
    from kg.ingest.model import SourceText

    text = ("012/2024\nDecision Record 012/2024\nGrants\n\n     Table 1 – Grant awards 2024/25\n\n"
            "     Provider                      Service                        Amount (£)\n"
            "     ---------------------------------------------------------------------\n"
            "     Bure Valley Rape Crisis       ISVA and therapeutic              356,000\n"
            "                                   counselling\n"
            "     Yare Domestic Abuse           IDVA service, including           412,750\n")
    assert not [m for m in find_orgs(text, 0, len(text)) if "Provider" in m.org.name]
    (decision,) = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    assert [a.recipient.name for a in decision.amounts] == ["Bure Valley Rape Crisis", "Yare Domestic Abuse"]


ANAPHORIC_CLAUSES = [
    ("Paragraphs 4.13 and 1.10 of the MOPAC Scheme of Consent and Delegation apply.", ["4.13", "1.10"]),
    ("Paragraph 4.8 of the MOPAC Scheme of Consent and Delegation gives the DMPC authority. Paragraph 4.11 "
     "reserves to the DMPC the approval of any grant.", ["4.8", "4.11"]),
    ("4.2. Paragraph 4.6 of the MOPAC Scheme of Consent and Delegation requires it.\n\n4.3. Under paragraph "
     "3.10 of the Scheme, the Chief Operating Officer may agree terms.", ["4.6", "3.10"]),
    # the report's own paragraphs are not the scheme's
    ("Paragraph 4.8 of the MOPAC Scheme of Consent and Delegation applies. See paragraph 4.2 of this report; "
     "paragraph 5.1 below explains.", ["4.8"]),
    # clauses listed after the scheme in its sentence, each with what it reserves
    ("Under the MOPAC Scheme of Consent and Delegation, paragraph 4.6 reserves transfers to and from reserves, "
     "paragraph 4.8 the acceptance of grants, and paragraph 4.19 approval of virements.", ["4.6", "4.8", "4.19"]),
    ("Under the MOPAC Scheme of Consent and Delegation the DMPC must approve any contract of £500,000 or more "
     "(paragraph 4.13) and the acceptance of funding (paragraph 4.8).", ["4.13", "4.8"]),
    # ... but not in the next sentence
    ("Paragraph 4.8 of the MOPAC Scheme of Consent and Delegation applies. Costs are in table 2, paragraph 3.4 "
     "sets out the risks.", ["4.8"]),
]


@pytest.mark.parametrize(("text", "numbers"), ANAPHORIC_CLAUSES)
def test_clauses_listed_or_of_the_scheme_named_before(text, numbers):
    found = find_delegations(text, 0, len(text))
    assert [d.clause_number for d in found] == numbers
    assert {d.scheme_name for d in found} == {"MOPAC Scheme of Consent and Delegation"}


def test_a_legal_form_or_a_possessive_ends_an_organisations_name():
    from kg.extract.orgs import find_orgs

    text = "The extension with Fernhill Analytics Ltd in March is paid from the City Intelligence Unit's budget."
    names = {m.org.name for m in find_orgs(text, 0, len(text))}
    assert "Fernhill Analytics Ltd" in names and "City Intelligence Unit" in names
    assert not any("March" in n or n.endswith("'s") for n in names)


def test_a_body_does_not_pay_itself():
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    text = "MD 9301 Homes\nThe GLA's budget of £4,200,000 is allocated to the Greater London Authority programme.\n"
    (decision,) = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    assert all(not (a.funder and a.recipient and a.funder.key == a.recipient.key) for a in decision.amounts)


def test_a_table_of_one_cell_a_line_is_read_to_its_end():
    """london.gov.uk pages give tables one cell a line: every row's figures are sums, however long
    the table, and a row label run into its figures names nobody."""
    rows = "".join(f"Borough {c}\n\n{600 + i},430\n\n{650 + i},300\n\n7.0\n\n" for i, c in enumerate("ABCDEFGHI"))
    text = "PCD 9401 Grants\nTable 1: Direct borough grants\n\nBorough\n\n2024/25 allocation (£)\n\n" + rows
    found = find_money(text, 0, len(text))
    assert len(found) == 18 and found[-1].value == Decimal(658300)


def test_a_list_of_bodies_is_several_names_but_a_commissioner_is_one():
    from kg.extract.orgs import find_orgs

    text = ("paid to Calderdale Council, Leeds City Council and Wakefield Council, and to the Police and "
            "Crime Commissioner.")
    names = [m.span.quote for m in find_orgs(text, 0, len(text))]
    assert "Wakefield Council" in names and "Leeds City Council" in names
    assert not any("Police and" in n and n != "Police and Crime Commissioner" for n in names)


def test_a_label_run_into_figures_is_no_name_but_a2_dominion_is():
    from kg.extract import extract_decisions
    from kg.ingest.model import SourceText

    text = ("PCD 9501 Grants\nTable of grants:\nIndependent evaluation   57,500\n£57,500\n"
            "A2 Dominion\n£70,000\n")
    (decision,) = extract_decisions(SourceText("case.txt", "case.txt", "0" * 16, "text/plain", text))
    recipients = {int(a.value): a.recipient.name if a.recipient else None for a in decision.amounts}
    assert recipients[57500] is None and recipients[70000] == "A2 Dominion"

