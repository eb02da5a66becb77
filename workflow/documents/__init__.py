"""The official documents of the SOP (Tata Naskah Dinas) made as PDFs: the letterhead and numbering
come from admin-edited data (`workflow.models.naskah`), the wording from templates/documents/.

formats: dates and times as letters write them · signature: who signs and how the block reads ·
paraf: the paraf boxes from the audit log · render: HTML to PDF · forms, content, generators: what
each document asks for and says · generate: storing one as the step's document.
"""
