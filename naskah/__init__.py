"""Naskah dinas: the official documents of the SOP (Tata Naskah Dinas) made as PDFs.

models: the letterhead and numbering as admin data, and what each document was made from ·
signature: who signs and how the block reads · paraf: the paraf boxes from the audit log ·
render: HTML to PDF · forms, content, generators: what each document asks for and says ·
generate: storing one as the step's document · drafts: a draft's print as it stands · pages: page
images · record: the document of record, frozen and signed · views, urls: the pages that make and
print them. Templates are under templates/naskah/.

Imports run one way, from the request to the worker to the renderer: views and template tags ->
prints (what a request prints) -> jobs (asking the worker) -> tasks (the worker) -> generate, pages
-> drafts -> record -> render.
"""
