"""The warm server's launcher; the conversions it serves are tested in test_pdf.py."""

from pathlib import Path

import unoserver

from docs_templates.pdf_server import LAUNCHER, WarmServer
from docs_templates.unoserver_launch import open_documents_hidden


class RecordingDesktop:
    """Stands in for LibreOffice's desktop (which needs a running LibreOffice)."""

    title = "desktop"

    def __init__(self):
        self.loads = []

    def loadComponentFromURL(self, url, frame, flags, properties):  # noqa: N802 - UNO's name
        self.loads.append(properties)
        return "document"


class Converter:
    def __init__(self, port):
        self.port = port
        self.desktop = RecordingDesktop()


def property_value(Name, Value):  # noqa: N803 - PropertyValue's keywords
    return (Name, Value)


def test_it_adds_hidden_to_what_the_converter_asks_for_when_it_opens_a_document():
    open_documents_hidden(Converter, property_value)
    converter = Converter(port=2003)
    recorder = converter.desktop._desktop

    document = converter.desktop.loadComponentFromURL(
        "file:///tmp/a.docx", "_default", 0, (("ReadOnly", True),)
    )

    assert document == "document"
    assert recorder.loads == [(("ReadOnly", True), ("Hidden", True))]
    assert converter.port == 2003
    assert converter.desktop.title == "desktop"  # everything else passes through


def test_the_installed_unoserver_opens_documents_through_converter_desktop():
    """What the launcher wraps; an unoserver that changed this would lose the saving."""
    source = (Path(unoserver.__file__).parent / "converter.py").read_text()
    assert "self.desktop = " in source
    assert "self.desktop.loadComponentFromURL(" in source


def test_the_pdf_server_runs_unoserver_through_the_launcher(tmp_path):
    command = WarmServer("http://127.0.0.1:2003", tmp_path).command()
    assert command[1] == LAUNCHER
    assert Path(LAUNCHER).is_file()
