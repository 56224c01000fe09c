"""The fixed wording of every letter, in English and Welsh: code-owned data, never typed by staff.

Each key is one paragraph, heading or phrase; `{name}` fields are filled from the case's facts by
`content.py`. Both languages have exactly the same keys and fields (a test holds them together).
The sentences are short and neutral (000/001 §71, 002 11.1: "explain the situation neutrally and
avoid blame", "be clear and straightforward"); `test_readability.py` scores every English one.

The Welsh follows standard council register (Welsh Language Standards: no less favourable than
the English). Where a fact with its own words follows (a name, a list, staff's free text), the
Welsh puts it after a colon, so no mutation of words Engage does not own is ever needed. A Welsh
speaker must review this wording before it is used with customers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

LANGUAGES = ("en", "cy")

WORDING: dict[str, dict[str, str]] = {
    "en": {
        # ---- Every letter
        "our_reference": "Our reference: {reference}",
        "date": "Date: {date}",
        "dear": "Dear {name}",
        "yours": "Yours sincerely",
        "care_of": "c/o {name}",
        "phone": "Phone: {telephone}",
        "email": "Email: {email}",
        "website": "Website: {website}",
        "language_name": "English",
        "help_heading": "Help and other formats",
        "help": (
            "You can ask for this letter in large print or in another format. "
            "If something makes it hard for you to contact us, please tell us. "
            "We can often make changes to help."
        ),
        "help_contact": "To ask, contact us:",
        "welsh_welcome": (
            "We welcome letters and calls in Welsh. We will reply in Welsh, and this will not cause a delay."
        ),
        "separate": (
            "This is only about how you contact us. It does not change how we deal with your "
            "requests or complaints. We will still deal with those in the usual way."
        ),
        "enclosed_heading": "With this letter",
        "enclosed": "We have enclosed a copy of our {policy}. It explains how and why we manage contact.",
        "enclosure_title": "Enclosure: {policy}",
        "more_heading": "Other information",
        # ---- Warning and restorative letters (003 10.1; 004 "Considering when to manage contact")
        "title_warning": "About your recent contact with us",
        "title_restorative": "Working well together",
        "intro_warning": (
            "We are writing about your recent contact with us. We want to help you. "
            "We also want to make sure our staff can help everyone."
        ),
        "intro_restorative": (
            "We want to keep working well with you. We are writing to explain a concern and to ask for your help."
        ),
        "happened_heading": "What happened and why it concerns us",
        "concern": (
            "We treat everyone who contacts us with respect. We ask you to treat our staff in the same way. "
            "Contact like this makes it harder for us to help you and other people."
        ),
        "ask_heading": "What we are asking you to do",
        "ask": "Please keep your contact with us polite and respectful.",
        "next_heading": "What could happen next",
        "next": (
            "If things do not change, we may need to limit how you contact us. For example, we may ask you "
            "to contact us only in writing. We would write to you to explain any decision like this. "
            "You would have the right to appeal against it."
        ),
        "support_heading": "How we can help",
        "support": (
            "Please tell us if anything makes it hard for you to contact us. We may be able to make changes. "
            "We can also put you in touch with someone independent who can support you."
        ),
        # ---- Unacceptable correspondence (000/001 §35-36; 002 7.9-7.11; 003 9.15-9.17)
        "title_unacceptable_correspondence": "Your recent correspondence",
        "unacceptable": (
            "We have received correspondence from you. We consider the language in it offensive, "
            "unnecessary and unhelpful. It is not acceptable, and we will not tolerate it."
        ),
        "no_reply": "This letter does not reply to what you wrote.",
        "casework_separately": "We will deal separately with any request about our services in it.",
        "stop_language": "Please stop using language like this when you contact us.",
        "if_continues": (
            "If it continues, we will not reply to your correspondence. "
            "We may also need to limit how you contact us."
        ),
        # ---- Decisions to restrict contact (003 11.2; 004 "Formal decision to manage contact")
        "title_decision": "Our decision about how you contact us",
        "title_short_restriction": "A short limit on how you contact us",
        "intro_decision": (
            "We are writing to tell you about a decision we have made. It is about how you contact us. "
            "We want to make sure we can keep helping you and everyone else."
        ),
        "intro_short_restriction": "We are writing to tell you about a short limit on how you contact us.",
        "why_heading": "Why we made this decision",
        "needs": "We took your needs and circumstances into account.",
        "means_heading": "What this means for you",
        "from": "From {date}:",
        "stop_all_contact": (
            "We will not contact you again about the matters you have raised, "
            "and we will not reply about them."
        ),
        "restrict_complaints_process": (
            "We will not look at new complaints from you about matters we have already dealt with."
        ),
        "short_closed_day": "You cannot contact us in these ways on {date}:",
        "short_closed_span": "You cannot contact us in these ways from {start} until the end of {end}:",
        "short_open": "You can still contact us in these ways:",
        "short_after": "After that, you can contact us as usual.",
        "ask_decision": (
            "We would like to be able to end these limits. "
            "You can help by keeping your contact with us polite and respectful."
        ),
        "how_long_heading": "How long this will last",
        "until": "This will last until the end of {date}. After that, you can contact us as usual.",
        "no_end": "It has no end date. It will stay in place until we decide to end it.",
        "review_heading": "When we will review it",
        "review_by": "We will review this decision by {date}.",
        "told_always": "We will write to you after the review to tell you the outcome.",
        "told_if_changed": "After the review, we will write to you if anything changes.",
        "told_if_in_active_contact": "After the review, we will write to you if you are still in contact with us.",
        "told_if_changed_and_in_active_contact": (
            "After the review, we will write to you if anything changes and you are still in contact with us."
        ),
        "ends_no_review": "It ends at the end of {date}, so we will not need to review it.",
        "no_review": "We have not set a date to review this decision. We will look at it again if things change.",
        "sharing_heading": "Who we will tell",
        "sharing": "We will tell these people about this decision, so that they can follow it:",
        "sharing_none": "We will tell only the staff who need to know, so that they can follow it.",
        "sharing_record": "We will keep a record of it in our customer records.",
        "appeal_heading": "If you disagree",
        "appeal_right": "You have the right to appeal against this decision.",
        "appeal_how": (
            "To appeal, write to {heard_by} at the address at the top of this letter. "
            "Tell us why you think the decision is wrong."
        ),
        "appeal_email": "You can also email us at {email}.",
        "appeal_deadline": "Your appeal must reach us by {date}.",
        "appeal_independent": "Someone who was not involved in this decision will look at your appeal.",
        "no_internal_appeal": "We cannot look at an appeal ourselves in this case.",
        "ombudsman_heading": "The ombudsman",
        "ombudsman_after": (
            "If you are still unhappy after your appeal, you can ask {ombudsman} to look at it."
        ),
        "ombudsman_direct": "You can ask {ombudsman} to look at this decision.",
        "ombudsman_contact": (
            "Their website is {url}. They usually expect you to contact them within 12 months."
        ),
        # ---- Review outcome (004 "Reviewing decisions"; 003 13.2)
        "title_review_outcome": "The review of our decision about how you contact us",
        "intro_review": "We have reviewed our decision of {date} about how you contact us.",
        "decided_heading": "What we have decided",
        "review_continue": "We have decided to keep it in place for now.",
        "review_vary": "We have decided to change it.",
        "review_lift": "We have decided to end it. From {date}, you can contact us in the usual way.",
        "why_decided_heading": "Why we decided this",
        "now_heading": "What applies now",
        "next_review": "We will review it again by {date}.",
        # ---- Appeals (004 "Appealing a decision"; 003 12.1-12.6)
        "title_appeal_acknowledgement": "We have received your appeal",
        "appeal_received": "Thank you for your appeal. We received it on {date}.",
        "appeal_heard_by": "{heard_by} will look at it. They were not involved in the decision you are appealing against.",
        "appeal_scope": (
            "The appeal will look only at our decision about how you contact us. "
            "It will not look again at other matters you have raised with us."
        ),
        "appeal_meanwhile": "Until the appeal is decided, our decision of {date} still applies.",
        "appeal_late": (
            "Your appeal reached us after the time limit, which was {date}. "
            "We will tell you if we can still look at it."
        ),
        "appeal_outcome_to_follow": "We will write to you with the outcome.",
        "title_appeal_outcome": "The outcome of your appeal",
        "appeal_considered": "{heard_by} has looked at your appeal against our decision of {date}.",
        "appeal_upheld": "The decision stands. The arrangements in our decision still apply.",
        "appeal_varied": "The arrangements have been changed. From {date}, they are:",
        "appeal_overturned": (
            "The limits on how you contact us have been removed. "
            "From {date}, you can contact us in the usual way."
        ),
        # ---- Lifting (003 13.2; 004 "Reviewing decisions")
        "title_lifting": "We have ended the limits on how you contact us",
        "lifted": (
            "We have decided to end the limits on how you contact us. "
            "From {date}, you can contact us in the usual way."
        ),
        # ---- Each measure in plain words, to the customer
        "m_channels": "You can contact us only in these ways: {ways}.",
        "m_no_contact": "You cannot contact us at all for now.",
        "m_spoc": "Your single point of contact is: {officer}. Please contact only this person.",
        "m_spoc_deputy": "When they are away, this person will deal with your contact: {deputy}.",
        "m_call_days": "You can phone us only on these days: {days}.",
        "m_call_times": "You can phone us between these times: {start} to {end}.",
        "m_call_times_overnight": "You can phone us between these times: {start} to {end} the next day.",
        "m_call_length": "Each call can last up to {minutes} minutes.",
        "m_volume": "You can contact us up to {count} times {per}.",
        "m_volume_once": "You can contact us once {per}.",
        "m_volume_channel": "This is for contact {way}.",
        "m_third_party": "Please contact us only through: {third_party}.",
        "m_automated": "When you phone us, your call will go to our automated line: {line}.",
        "m_witness": "If you meet us in person, someone else will be there as a witness.",
        "m_witness_who": "The witness will be: {witness}.",
        "m_premises_all": "Please do not come to any of our buildings.",
        "m_premises": "Please do not come to these places: {places}.",
        "m_topics": "We will write to you only about these topics: {topics}.",
        "m_issues": "We will look at up to {count} issues {per}.",
        "m_issues_one": "We will look at one issue {per}.",
        "m_closed": "We have closed this matter: {matter}. We will not reply about it again.",
        "m_read_and_file": (
            "We will read what you send us to check for anything new. "
            "If there is nothing new, we will file it without replying."
        ),
        "m_read_and_file_what": "This is for: {what}.",
        "m_mailbox": "Please send emails only to this address: {mailbox}.",
        "m_no_staff_details": (
            "Our letters and emails will not give the names or direct contact details of our staff."
        ),
        "m_contract": "We have asked you to agree to a behaviour contract. It sets out what we expect from you.",
        "m_contract_signed": "You signed it on {date}.",
    },
    "cy": {
        # ---- Pob llythyr
        "our_reference": "Ein cyfeirnod: {reference}",
        "date": "Dyddiad: {date}",
        "dear": "Annwyl {name}",
        "yours": "Yn gywir",
        "care_of": "d/o {name}",
        "phone": "Ffôn: {telephone}",
        "email": "E-bost: {email}",
        "website": "Gwefan: {website}",
        "language_name": "Cymraeg",
        "help_heading": "Help a fformatau eraill",
        "help": (
            "Gallwch ofyn am y llythyr hwn mewn print bras neu mewn fformat arall. "
            "Os oes rhywbeth yn ei gwneud yn anodd i chi gysylltu â ni, rhowch wybod i ni. "
            "Yn aml, gallwn wneud newidiadau i helpu."
        ),
        "help_contact": "I ofyn, cysylltwch â ni:",
        "welsh_welcome": (
            "Rydym yn croesawu gohebiaeth a galwadau yn Gymraeg. Byddwn yn ateb yn Gymraeg, "
            "ac ni fydd hyn yn arwain at oedi."
        ),
        "separate": (
            "Mae hyn yn ymwneud â sut rydych yn cysylltu â ni yn unig. Nid yw'n newid sut rydym yn delio "
            "â'ch ceisiadau na'ch cwynion. Byddwn yn dal i ddelio â'r rheini yn y ffordd arferol."
        ),
        "enclosed_heading": "Gyda'r llythyr hwn",
        "enclosed": "Rydym wedi amgáu copi o'n polisi: {policy}. Mae'n esbonio sut a pham rydym yn rheoli cyswllt.",
        "enclosure_title": "Amgaead: {policy}",
        "more_heading": "Gwybodaeth arall",
        # ---- Rhybudd a dull adferol
        "title_warning": "Ynglŷn â'ch cyswllt diweddar â ni",
        "title_restorative": "Gweithio'n dda gyda'n gilydd",
        "intro_warning": (
            "Rydym yn ysgrifennu atoch ynglŷn â'ch cyswllt diweddar â ni. Rydym eisiau eich helpu. "
            "Rydym hefyd eisiau gwneud yn siŵr bod ein staff yn gallu helpu pawb."
        ),
        "intro_restorative": (
            "Rydym eisiau parhau i weithio'n dda gyda chi. Rydym yn ysgrifennu atoch i esbonio pryder "
            "ac i ofyn am eich help."
        ),
        "happened_heading": "Beth ddigwyddodd a pham mae'n peri pryder i ni",
        "concern": (
            "Rydym yn trin pawb sy'n cysylltu â ni gyda pharch. Rydym yn gofyn i chi drin ein staff yn yr un "
            "ffordd. Mae cyswllt fel hwn yn ei gwneud yn anoddach i ni eich helpu chi a phobl eraill."
        ),
        "ask_heading": "Beth rydym yn gofyn i chi ei wneud",
        "ask": "Cadwch eich cyswllt â ni yn gwrtais ac yn barchus, os gwelwch yn dda.",
        "next_heading": "Beth allai ddigwydd nesaf",
        "next": (
            "Os na fydd pethau'n newid, efallai y bydd angen i ni gyfyngu ar sut rydych yn cysylltu â ni. "
            "Er enghraifft, efallai y byddwn yn gofyn i chi gysylltu â ni yn ysgrifenedig yn unig. "
            "Byddem yn ysgrifennu atoch i esbonio unrhyw benderfyniad fel hwn. "
            "Byddai gennych hawl i apelio yn ei erbyn."
        ),
        "support_heading": "Sut y gallwn helpu",
        "support": (
            "Rhowch wybod i ni os oes unrhyw beth yn ei gwneud yn anodd i chi gysylltu â ni. "
            "Efallai y gallwn wneud newidiadau. "
            "Gallwn hefyd eich rhoi mewn cysylltiad â rhywun annibynnol a all eich cefnogi."
        ),
        # ---- Gohebiaeth annerbyniol
        "title_unacceptable_correspondence": "Eich gohebiaeth ddiweddar",
        "unacceptable": (
            "Rydym wedi cael gohebiaeth gennych. Rydym o'r farn bod yr iaith ynddi yn sarhaus, "
            "yn ddiangen ac yn ddi-fudd. Nid yw'n dderbyniol, ac ni fyddwn yn ei goddef."
        ),
        "no_reply": "Nid yw'r llythyr hwn yn ymateb i'r hyn a ysgrifennoch.",
        "casework_separately": "Byddwn yn delio ar wahân ag unrhyw gais am ein gwasanaethau sydd ynddi.",
        "stop_language": "Peidiwch â defnyddio iaith fel hon pan fyddwch yn cysylltu â ni.",
        "if_continues": (
            "Os bydd hyn yn parhau, ni fyddwn yn ateb eich gohebiaeth. "
            "Efallai y bydd angen i ni gyfyngu ar sut rydych yn cysylltu â ni hefyd."
        ),
        # ---- Penderfyniadau i gyfyngu ar gyswllt
        "title_decision": "Ein penderfyniad ynghylch sut rydych yn cysylltu â ni",
        "title_short_restriction": "Cyfyngiad byr ar sut rydych yn cysylltu â ni",
        "intro_decision": (
            "Rydym yn ysgrifennu atoch i roi gwybod i chi am benderfyniad rydym wedi'i wneud. "
            "Mae'n ymwneud â sut rydych yn cysylltu â ni. "
            "Rydym eisiau gwneud yn siŵr y gallwn barhau i'ch helpu chi a phawb arall."
        ),
        "intro_short_restriction": (
            "Rydym yn ysgrifennu atoch i roi gwybod i chi am gyfyngiad byr ar sut rydych yn cysylltu â ni."
        ),
        "why_heading": "Pam rydym wedi gwneud y penderfyniad hwn",
        "needs": "Rydym wedi ystyried eich anghenion a'ch amgylchiadau.",
        "means_heading": "Beth mae hyn yn ei olygu i chi",
        "from": "O {date} ymlaen:",
        "stop_all_contact": (
            "Ni fyddwn yn cysylltu â chi eto ynghylch y materion rydych wedi'u codi, "
            "ac ni fyddwn yn ateb amdanynt."
        ),
        "restrict_complaints_process": (
            "Ni fyddwn yn edrych ar gwynion newydd gennych am faterion rydym eisoes wedi delio â nhw."
        ),
        "short_closed_day": "Ni allwch gysylltu â ni yn y ffyrdd hyn ar {date}:",
        "short_closed_span": "Ni allwch gysylltu â ni yn y ffyrdd hyn o {start} tan ddiwedd {end}:",
        "short_open": "Gallwch gysylltu â ni yn y ffyrdd hyn o hyd:",
        "short_after": "Ar ôl hynny, gallwch gysylltu â ni fel arfer.",
        "ask_decision": (
            "Hoffem allu dod â'r cyfyngiadau hyn i ben. "
            "Gallwch helpu drwy gadw eich cyswllt â ni yn gwrtais ac yn barchus."
        ),
        "how_long_heading": "Am ba hyd y bydd hyn yn para",
        "until": "Bydd hyn yn para tan ddiwedd {date}. Ar ôl hynny, gallwch gysylltu â ni fel arfer.",
        "no_end": "Nid oes dyddiad gorffen iddo. Bydd yn aros yn ei le nes i ni benderfynu dod ag ef i ben.",
        "review_heading": "Pryd y byddwn yn ei adolygu",
        "review_by": "Byddwn yn adolygu'r penderfyniad hwn erbyn {date}.",
        "told_always": "Byddwn yn ysgrifennu atoch ar ôl yr adolygiad i roi gwybod i chi beth yw'r canlyniad.",
        "told_if_changed": "Ar ôl yr adolygiad, byddwn yn ysgrifennu atoch os bydd unrhyw beth yn newid.",
        "told_if_in_active_contact": (
            "Ar ôl yr adolygiad, byddwn yn ysgrifennu atoch os ydych yn dal i gysylltu â ni."
        ),
        "told_if_changed_and_in_active_contact": (
            "Ar ôl yr adolygiad, byddwn yn ysgrifennu atoch os bydd unrhyw beth yn newid "
            "a'ch bod yn dal i gysylltu â ni."
        ),
        "ends_no_review": "Bydd yn dod i ben ar ddiwedd {date}, felly ni fydd angen i ni ei adolygu.",
        "no_review": (
            "Nid ydym wedi pennu dyddiad i adolygu'r penderfyniad hwn. "
            "Byddwn yn edrych arno eto os bydd pethau'n newid."
        ),
        "sharing_heading": "Pwy y byddwn yn dweud wrthynt",
        "sharing": "Byddwn yn rhoi gwybod i'r bobl hyn am y penderfyniad hwn, fel y gallant ei ddilyn:",
        "sharing_none": "Byddwn yn rhoi gwybod i'r staff sydd angen gwybod yn unig, fel y gallant ei ddilyn.",
        "sharing_record": "Byddwn yn cadw cofnod ohono yn ein cofnodion cwsmeriaid.",
        "appeal_heading": "Os ydych yn anghytuno",
        "appeal_right": "Mae gennych hawl i apelio yn erbyn y penderfyniad hwn.",
        "appeal_how": (
            "I apelio, ysgrifennwch at {heard_by} yn y cyfeiriad ar frig y llythyr hwn. "
            "Dywedwch wrthym pam rydych yn credu bod y penderfyniad yn anghywir."
        ),
        "appeal_email": "Gallwch hefyd anfon e-bost atom: {email}.",
        "appeal_deadline": "Rhaid i'ch apêl ein cyrraedd erbyn {date}.",
        "appeal_independent": "Bydd rhywun nad oedd yn rhan o'r penderfyniad hwn yn edrych ar eich apêl.",
        "no_internal_appeal": "Ni allwn ystyried apêl ein hunain yn yr achos hwn.",
        "ombudsman_heading": "Yr Ombwdsmon",
        "ombudsman_after": (
            "Os ydych yn dal yn anhapus ar ôl eich apêl, gallwch ofyn i'r corff hwn edrych arno: {ombudsman}."
        ),
        "ombudsman_direct": "Gallwch ofyn i'r corff hwn edrych ar y penderfyniad hwn: {ombudsman}.",
        "ombudsman_contact": (
            "Eu gwefan yw {url}. Fel arfer, maent yn disgwyl i chi gysylltu â nhw o fewn 12 mis."
        ),
        # ---- Canlyniad adolygiad
        "title_review_outcome": "Adolygiad o'n penderfyniad ynghylch sut rydych yn cysylltu â ni",
        "intro_review": "Rydym wedi adolygu ein penderfyniad dyddiedig {date} ynghylch sut rydych yn cysylltu â ni.",
        "decided_heading": "Beth rydym wedi'i benderfynu",
        "review_continue": "Rydym wedi penderfynu ei gadw yn ei le am y tro.",
        "review_vary": "Rydym wedi penderfynu ei newid.",
        "review_lift": (
            "Rydym wedi penderfynu dod ag ef i ben. O {date} ymlaen, gallwch gysylltu â ni yn y ffordd arferol."
        ),
        "why_decided_heading": "Pam y gwnaethom benderfynu hyn",
        "now_heading": "Beth sy'n berthnasol nawr",
        "next_review": "Byddwn yn ei adolygu eto erbyn {date}.",
        # ---- Apeliadau
        "title_appeal_acknowledgement": "Rydym wedi cael eich apêl",
        "appeal_received": "Diolch am eich apêl. Daeth i law ar {date}.",
        "appeal_heard_by": (
            "Bydd {heard_by} yn edrych arni. Nid oedd yn rhan o'r penderfyniad rydych yn apelio yn ei erbyn."
        ),
        "appeal_scope": (
            "Bydd yr apêl yn edrych ar ein penderfyniad ynghylch sut rydych yn cysylltu â ni yn unig. "
            "Ni fydd yn edrych eto ar faterion eraill rydych wedi'u codi gyda ni."
        ),
        "appeal_meanwhile": "Hyd nes y penderfynir ar yr apêl, mae ein penderfyniad dyddiedig {date} yn dal i fod yn berthnasol.",
        "appeal_late": (
            "Daeth eich apêl i law ar ôl y terfyn amser, sef {date}. "
            "Byddwn yn rhoi gwybod i chi a allwn edrych arni o hyd."
        ),
        "appeal_outcome_to_follow": "Byddwn yn ysgrifennu atoch i roi gwybod i chi beth yw'r canlyniad.",
        "title_appeal_outcome": "Canlyniad eich apêl",
        "appeal_considered": (
            "Mae eich apêl yn erbyn ein penderfyniad dyddiedig {date} wedi cael ei hystyried gan {heard_by}."
        ),
        "appeal_upheld": "Mae'r penderfyniad yn sefyll. Mae'r trefniadau yn ein penderfyniad yn dal i fod yn berthnasol.",
        "appeal_varied": "Mae'r trefniadau wedi cael eu newid. O {date} ymlaen, dyma'r trefniadau:",
        "appeal_overturned": (
            "Mae'r cyfyngiadau ar sut rydych yn cysylltu â ni wedi cael eu dileu. "
            "O {date} ymlaen, gallwch gysylltu â ni yn y ffordd arferol."
        ),
        # ---- Codi cyfyngiadau
        "title_lifting": "Rydym wedi dod â'r cyfyngiadau ar sut rydych yn cysylltu â ni i ben",
        "lifted": (
            "Rydym wedi penderfynu dod â'r cyfyngiadau ar sut rydych yn cysylltu â ni i ben. "
            "O {date} ymlaen, gallwch gysylltu â ni yn y ffordd arferol."
        ),
        # ---- Pob mesur mewn geiriau clir
        "m_channels": "Dim ond yn y ffyrdd hyn y gallwch gysylltu â ni: {ways}.",
        "m_no_contact": "Ni allwch gysylltu â ni o gwbl am y tro.",
        "m_spoc": "Eich un pwynt cyswllt yw: {officer}. Cysylltwch â'r person hwn yn unig.",
        "m_spoc_deputy": "Pan fydd i ffwrdd, bydd y person hwn yn delio â'ch cyswllt: {deputy}.",
        "m_call_days": "Dim ond ar y dyddiau hyn y gallwch ein ffonio: {days}.",
        "m_call_times": "Gallwch ein ffonio rhwng yr amseroedd hyn: {start} tan {end}.",
        "m_call_times_overnight": "Gallwch ein ffonio rhwng yr amseroedd hyn: {start} tan {end} y diwrnod wedyn.",
        "m_call_length": "Gall pob galwad bara hyd at {minutes} munud.",
        "m_volume": "Gallwch gysylltu â ni hyd at {count} gwaith {per}.",
        "m_volume_once": "Gallwch gysylltu â ni unwaith {per}.",
        "m_volume_channel": "Mae hyn ar gyfer cyswllt {way}.",
        "m_third_party": "Cysylltwch â ni drwy'r canlynol yn unig: {third_party}.",
        "m_automated": "Pan fyddwch yn ein ffonio, bydd eich galwad yn mynd i'n llinell awtomatig: {line}.",
        "m_witness": "Os byddwch yn ein cyfarfod wyneb yn wyneb, bydd rhywun arall yno fel tyst.",
        "m_witness_who": "Y tyst fydd: {witness}.",
        "m_premises_all": "Peidiwch â dod i unrhyw un o'n hadeiladau.",
        "m_premises": "Peidiwch â dod i'r lleoedd hyn: {places}.",
        "m_topics": "Byddwn yn ysgrifennu atoch am y pynciau hyn yn unig: {topics}.",
        "m_issues": "Byddwn yn edrych ar hyd at {count} mater {per}.",
        "m_issues_one": "Byddwn yn edrych ar un mater {per}.",
        "m_closed": "Rydym wedi cau'r mater hwn: {matter}. Ni fyddwn yn ateb amdano eto.",
        "m_read_and_file": (
            "Byddwn yn darllen yr hyn rydych yn ei anfon atom i weld a oes unrhyw beth newydd ynddo. "
            "Os nad oes dim byd newydd, byddwn yn ei gadw ar ffeil heb ateb."
        ),
        "m_read_and_file_what": "Mae hyn ar gyfer: {what}.",
        "m_mailbox": "Anfonwch negeseuon e-bost i'r cyfeiriad hwn yn unig: {mailbox}.",
        "m_no_staff_details": (
            "Ni fydd ein llythyrau a'n negeseuon e-bost yn rhoi enwau na manylion cyswllt uniongyrchol ein staff."
        ),
        "m_contract": (
            "Rydym wedi gofyn i chi gytuno i gontract ymddygiad. Mae'n nodi'r hyn rydym yn ei ddisgwyl gennych."
        ),
        "m_contract_signed": "Gwnaethoch ei lofnodi ar {date}.",
    },
}

# Each way of contacting us as a whole phrase, so a list of them never needs a mutation.
CHANNEL_WAYS: dict[str, dict[str, str]] = {
    "en": {
        "phone": "by phone",
        "email": "by email",
        "letter": "by letter",
        "in_person": "in person",
        "social_media": "on social media",
        "online_form": "through our online form",
        "event": "at our events",
    },
    "cy": {
        "phone": "dros y ffôn",
        "email": "drwy e-bost",
        "letter": "drwy lythyr",
        "in_person": "wyneb yn wyneb",
        "social_media": "ar y cyfryngau cymdeithasol",
        "online_form": "drwy ein ffurflen ar-lein",
        "event": "yn ein digwyddiadau",
    },
}
# What is read and filed (003 10.2(h); 004 "read to ensure no new issues are raised").
WRITTEN: dict[str, dict[str, str]] = {
    "en": {"email": "emails", "letter": "letters"},
    "cy": {"email": "negeseuon e-bost", "letter": "llythyrau"},
}
PER: dict[str, dict[str, str]] = {
    "en": {"day": "a day", "week": "a week", "month": "a month"},
    "cy": {"day": "y dydd", "week": "yr wythnos", "month": "y mis"},
}
_DAYS = {
    "en": {
        "mon": "Mondays",
        "tue": "Tuesdays",
        "wed": "Wednesdays",
        "thu": "Thursdays",
        "fri": "Fridays",
        "sat": "Saturdays",
        "sun": "Sundays",
    },
    "cy": {
        "mon": "dydd Llun",
        "tue": "dydd Mawrth",
        "wed": "dydd Mercher",
        "thu": "dydd Iau",
        "fri": "dydd Gwener",
        "sat": "dydd Sadwrn",
        "sun": "dydd Sul",
    },
}
_MONTHS_CY = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)

# Names a preset gives in English, as they are written in Welsh. Flintshire is the one bilingual
# policy (004); its organisation, roles, sharing parties, ombudsman and policy title are here.
# A name with no entry is written as the preset gives it (a test lists Flintshire's names).
WELSH_NAMES: dict[str, str] = {
    "Flintshire County Council": "Cyngor Sir y Fflint",
    "Managing Customer Contact Policy": "Polisi Rheoli Cyswllt â Chwsmeriaid",
    "Public Services Ombudsman for Wales": "Ombwdsmon Gwasanaethau Cyhoeddus Cymru",
    "Chief Officer Governance": "Prif Swyddog Llywodraethu",
    "Chief Officer": "Prif Swyddog",
    "Team Leader/Manager": "Arweinydd Tîm/Rheolwr",
    "CCSM (Customer Contact Service Manager or any other senior manager)": (
        "Rheolwr y Gwasanaeth Cyswllt â Chwsmeriaid (neu uwch reolwr arall)"
    ),
    "Employee": "Gweithiwr",
    "Information governance / records manager": "Llywodraethu gwybodaeth / rheolwr cofnodion",
    "All employees taking frontline calls": "Pob gweithiwr sy'n ateb galwadau rheng flaen",
}


def text(lang: str, key: str, **fields: object) -> str:
    """One piece of fixed wording with its fields filled in."""
    return WORDING[lang][key].format(**fields)


def welsh(name: str) -> str:
    return WELSH_NAMES.get(name, name)


def name_in(lang: str, name: str) -> str:
    return welsh(name) if lang == "cy" else name


def with_article(lang: str, name: str) -> str:
    """A role's name as the subject or object of a sentence: "the Chief Officer Governance",
    "y Prif Swyddog Llywodraethu" ("yr" before a vowel or h)."""
    if lang == "cy":
        welsh_name = welsh(name)
        return f"{'yr' if welsh_name[:1].lower() in 'aeiouwyh' else 'y'} {welsh_name}"
    first = name.split(maxsplit=1)[0].lower() if name else ""
    return name if first in {"all", "any", "every", "each", "the", "a", "an"} else f"the {name}"


def date_text(lang: str, d: dt.date) -> str:
    """A date as a letter writes it: "3 April 2026", "3 Ebrill 2026"."""
    if lang == "cy":
        return f"{d.day} {_MONTHS_CY[d.month - 1]} {d.year}"
    return f"{d.day} {d:%B} {d.year}"


def days_text(lang: str, days: Sequence[str]) -> str:
    names = [_DAYS[lang][d] for d in days]
    return listing(lang, names, "and")


def listing(lang: str, items: Sequence[str], word: str) -> str:
    """["a", "b", "c"] as "a, b and c" / "a, b or c", or in Welsh "a, b a c" / "a, b neu c".

    Welsh "a" is "ac" before a vowel. Engage only lists its own phrases this way (days, channels);
    staff's words (topics, premises) are listed with semicolons, which need no mutation.
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if lang == "cy":
        last = items[-1]
        joiner = {"and": "ac" if last[:1].lower() in "aeiouwy" else "a", "or": "neu"}[word]
    else:
        joiner = word
    return f"{', '.join(items[:-1])} {joiner} {items[-1]}"
