"""English, as the translation steps read it: sentences split (:mod:`.sentences`), the names a
text gives its individuals (:mod:`.names`), closed-class words and lemmas (:mod:`.lexicon`), and
what quantifier words ask of a formula (:mod:`.quantifiers`)."""
