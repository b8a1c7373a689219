"""The message catalogue: every sentence a unit, the analyst or the province reads.

- :mod:`.issues` — one entry per issue code: its severity, its Vietnamese title (the kind's
  name, as the issues sheet shows it), its message template with named slots, and an English
  description (frictionless-py's ``errors/*.py`` is the model);
- :mod:`.notes` — the phrases that fill an issue's detail slots (why a file was refused, how
  a value was understood);
- :mod:`.texts` — everything else: the command line, the catalogue check, the workbooks'
  titles and notes, the feedback files;
- :mod:`.report` — the sentences of the narrative report to the province (``.docx``).

A template is a :class:`Text`: ``Text("Tệp «{file}» rỗng").format(file=name)``. Formatting
checks the slots both ways (a slot left empty or a value for no slot is a bug, raised at once),
and ``tests/base/test_messages.py`` checks every call site statically as well.
"""

from pipeline.base.messages.text import SlotError, Text

__all__ = ["SlotError", "Text"]
