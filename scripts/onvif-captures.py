#!/usr/bin/env python3
"""Copies the captured camera replies of the npm package onvif@0.6.2 (MIT, test/serverMockup/*.xml) into
tests/LightNvr.Tests/Onvif/TestData/captures/, made safe and static:
- every private 192.168.x.x address becomes 127.0.0.1 (nothing may contact the cameras they came from);
- the mock server's doT template marks are rendered once: {{? it.bad }}…{{?}} (its "bad reply" switch) is dropped,
  other {{? cond }} / {{?}} marks are removed (their content kept), {{=…}} values get fixed loopback values.
Usage: cd /tmp && npm pack onvif@0.6.2 && tar xzf onvif-0.6.2.tgz && scripts/onvif-captures.py /tmp/package"""
import pathlib, re, sys

src = pathlib.Path(sys.argv[1]) / "test" / "serverMockup"
dst = pathlib.Path(__file__).resolve().parent.parent / "tests/LightNvr.Tests/Onvif/TestData/captures"
dst.mkdir(parents=True, exist_ok=True)
values = {
    "it.hostname": "127.0.0.1",
    "it.port": "8000",
    "it.pullPointUrl": "/onvif/subscription?Idx=0",
    "new Date().toISOString()": "2014-12-24T19:14:37.000Z",
    "new Date(Date.now()+5000).toISOString()": "2014-12-24T19:14:42.000Z",
}
for f in sorted(src.glob("*.xml")):
    text = f.read_text(encoding="utf-8")
    text = re.sub(r"192\.168\.\d{1,3}\.\d{1,3}", "127.0.0.1", text)
    text = re.sub(r"\{\{\? it\.bad \}\}.*?\{\{\?\}\}", "", text, flags=re.S)
    text = re.sub(r"\{\{=(.*?)\}\}", lambda m: values[m.group(1).strip()], text)
    text = re.sub(r"[ \t]*\{\{\?[^}]*\}\}[ \t]*\n?", "", text)
    assert "{{" not in text and "192.168." not in text, f.name
    (dst / f.name).write_text(text, encoding="utf-8")
print(f"{len(list(src.glob('*.xml')))} replies written to {dst}")
