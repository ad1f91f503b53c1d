"""The generated demo corpus is already anonymised ([CLIENT], [KIND-1], ...): running it through the
anonymiser again must change nothing. Every placeholder added there is an ordinary Dutch word lost
("Pas aan het eind...", "...familie. Er loopt...", "de Kamer van Koophandel"), which is what makes
a casebook worthless; the corpus is a few thousand realistic sentences of the trade."""

from casebook.anonymise.service import anonymise_text
from casebook.demo.generator import generate_cases


def test_no_demo_text_is_changed_by_the_anonymiser():
    # the corpus repeats its building blocks: each distinct text once keeps this test at ~1 s
    texts = sorted({t for demo_case in generate_cases() for t in demo_case.texts() if t and t.strip()})
    assert len(texts) > 500
    changed = []
    for text in texts:
        result = anonymise_text(text)
        if result.text != text:
            changed += [
                (e.label, text[e.start : e.end], text[max(0, e.start - 40) : e.end + 40])
                for e in result.entities
            ]
    assert changed == [], f"{len(changed)} new placeholders in already anonymised demo texts: {changed[:20]}"
