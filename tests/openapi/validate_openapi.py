#!/usr/bin/env python3
"""Validate gridwatch-dispatchd against data/openapi.json (Python standard library only).

  validate_openapi.py --self-test
      Checks the schema validator on hand-made good and bad documents (no server).
  validate_openapi.py --spec data/openapi.json --self-test
      ... and also checks that the spec itself is sane.
  validate_openapi.py --spec data/openapi.json --server PATH/gridwatch-dispatchd
      Starts the server with a simulated street, exercises every endpoint and validates
      every response (status declared, content type, body schema, declared headers).

Prints one line per check and finishes with "N passed, M failed"; exits 1 on any failure.
"""

import argparse
import datetime
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

# --------------------------------------------------------------------------------------
# JSON Schema subset used by OpenAPI 3.0

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$")


def is_rfc3339(s):
    m = _RFC3339.match(s)
    if not m:
        return False
    y, mo, d, h, mi, se = (int(m.group(i)) for i in range(1, 7))
    try:
        datetime.date(y, mo, d)
    except ValueError:
        return False
    if h > 23 or mi > 59 or se > 60:
        return False
    if m.group(9) is not None and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return True


def parse_time(s):
    """RFC 3339 → aware datetime (fractions beyond microseconds are cut)."""
    s = re.sub(r"(\.\d{1,6})\d*", r"\1", s)
    return datetime.datetime.fromisoformat(s.replace("z", "Z").replace("Z", "+00:00").replace("t", "T"))


def format_time(dt):
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def type_name(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def type_matches(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "string":
        return isinstance(v, str)
    if t == "array":
        return isinstance(v, list)
    if t == "object":
        return isinstance(v, dict)
    raise ValueError("unknown type %r" % t)


def enum_equal(a, b):
    """JSON equality: True != 1, 1 == 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


class Validator:
    """Validates instances against OpenAPI 3.0 schema objects of one document."""

    def __init__(self, doc):
        self.doc = doc

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise KeyError("only local $refs are supported: %s" % ref)
        node = self.doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise KeyError("unresolvable $ref %s" % ref)
        return node

    def deref(self, obj):
        seen = 0
        while isinstance(obj, dict) and "$ref" in obj:
            obj = self.resolve(obj["$ref"])
            seen += 1
            if seen > 50:
                raise KeyError("$ref loop")
        return obj

    def validate(self, inst, schema, path="$"):
        errors = []
        self._v(inst, schema, path, errors)
        return errors

    def _v(self, inst, schema, path, errors):
        if schema is True or schema == {}:
            return
        if "$ref" in schema:  # OpenAPI 3.0: siblings of $ref are ignored
            try:
                target = self.resolve(schema["$ref"])
            except KeyError as e:
                errors.append("%s: %s" % (path, e))
                return
            self._v(inst, target, path, errors)
            return

        if inst is None:
            if schema.get("nullable") is True:
                return
            if "type" in schema:
                errors.append("%s: null is not allowed (expected %s)" % (path, schema["type"]))
                return
        elif "type" in schema and not type_matches(inst, schema["type"]):
            errors.append("%s: expected %s, got %s" % (path, schema["type"], type_name(inst)))
            return

        if "enum" in schema and not any(enum_equal(inst, e) for e in schema["enum"]):
            errors.append("%s: %r is not one of %r" % (path, inst, schema["enum"]))

        if isinstance(inst, str):
            if "minLength" in schema and len(inst) < schema["minLength"]:
                errors.append("%s: shorter than %d" % (path, schema["minLength"]))
            if "maxLength" in schema and len(inst) > schema["maxLength"]:
                errors.append("%s: longer than %d" % (path, schema["maxLength"]))
            if "pattern" in schema and not re.search(schema["pattern"], inst):
                errors.append("%s: %r does not match %s" % (path, inst, schema["pattern"]))
            if schema.get("format") == "date-time" and not is_rfc3339(inst):
                errors.append("%s: %r is not an RFC 3339 time with a zone" % (path, inst))

        if isinstance(inst, (int, float)) and not isinstance(inst, bool):
            if "minimum" in schema:
                if schema.get("exclusiveMinimum") is True and not inst > schema["minimum"]:
                    errors.append("%s: %r is not > %r" % (path, inst, schema["minimum"]))
                elif inst < schema["minimum"]:
                    errors.append("%s: %r is less than %r" % (path, inst, schema["minimum"]))
            if "maximum" in schema:
                if schema.get("exclusiveMaximum") is True and not inst < schema["maximum"]:
                    errors.append("%s: %r is not < %r" % (path, inst, schema["maximum"]))
                elif inst > schema["maximum"]:
                    errors.append("%s: %r is greater than %r" % (path, inst, schema["maximum"]))

        if isinstance(inst, list):
            if "minItems" in schema and len(inst) < schema["minItems"]:
                errors.append("%s: fewer than %d items" % (path, schema["minItems"]))
            if "maxItems" in schema and len(inst) > schema["maxItems"]:
                errors.append("%s: more than %d items" % (path, schema["maxItems"]))
            if "items" in schema:
                for i, item in enumerate(inst):
                    self._v(item, schema["items"], "%s[%d]" % (path, i), errors)

        if isinstance(inst, dict):
            props = schema.get("properties", {})
            for name in schema.get("required", []):
                if name not in inst:
                    errors.append("%s: missing required property %r" % (path, name))
            for name, value in inst.items():
                sub = "%s.%s" % (path, name)
                if name in props:
                    self._v(value, props[name], sub, errors)
                else:
                    ap = schema.get("additionalProperties", True)
                    if ap is False:
                        errors.append("%s: unknown property" % sub)
                    elif isinstance(ap, dict):
                        self._v(value, ap, sub, errors)

        for sub in schema.get("allOf", []):
            self._v(inst, sub, path, errors)
        if "anyOf" in schema:
            if not any(not self.validate(inst, s, path) for s in schema["anyOf"]):
                errors.append("%s: matches none of anyOf" % path)
        if "oneOf" in schema:
            n = sum(1 for s in schema["oneOf"] if not self.validate(inst, s, path))
            if n != 1:
                errors.append("%s: matches %d of oneOf (exactly 1 needed)" % (path, n))


# --------------------------------------------------------------------------------------
# Spec sanity

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def check_spec(doc):
    """Returns a list of problems with the document itself."""
    problems = []
    v = Validator(doc)
    if not str(doc.get("openapi", "")).startswith("3.0."):
        problems.append("openapi: not 3.0.x")
    for key in ("title", "version"):
        if not doc.get("info", {}).get(key):
            problems.append("info.%s missing" % key)
    if not doc.get("paths"):
        problems.append("paths: empty")

    def walk(node, where):
        if isinstance(node, dict):
            if "$ref" in node:
                try:
                    v.resolve(node["$ref"])
                except KeyError as e:
                    problems.append("%s: %s" % (where, e))
                extra = set(node) - {"$ref"}
                if extra:
                    problems.append("%s: $ref with siblings %s (ignored in OpenAPI 3.0)" % (where, sorted(extra)))
            for k, val in node.items():
                walk(val, where + "/" + k)
        elif isinstance(node, list):
            for i, val in enumerate(node):
                walk(val, "%s/%d" % (where, i))
    walk(doc, "#")

    schemes = doc.get("components", {}).get("securitySchemes", {})
    for req in doc.get("security", []):
        for name in req:
            if name not in schemes:
                problems.append("security: unknown scheme %s" % name)
    known_types = {"integer", "number", "boolean", "string", "array", "object"}

    def check_schema(s, where):
        if not isinstance(s, dict):
            problems.append("%s: schema is not an object" % where)
            return
        if "$ref" in s:
            return
        t = s.get("type")
        if t is not None and t not in known_types:
            problems.append("%s: unknown type %r" % (where, t))
        if t == "array" and "items" not in s:
            problems.append("%s: array without items" % where)
        if "enum" in s and None in s["enum"] and not s.get("nullable"):
            problems.append("%s: null in enum but not nullable" % where)
        if "pattern" in s:
            try:
                re.compile(s["pattern"])
            except re.error as e:
                problems.append("%s: bad pattern: %s" % (where, e))
        for r in s.get("required", []):
            if r not in s.get("properties", {}):
                problems.append("%s: required %r not among properties" % (where, r))
        for k, sub in s.get("properties", {}).items():
            check_schema(sub, where + "/properties/" + k)
        if isinstance(s.get("items"), dict):
            check_schema(s["items"], where + "/items")
        if isinstance(s.get("additionalProperties"), dict):
            check_schema(s["additionalProperties"], where + "/additionalProperties")
        for k in ("allOf", "anyOf", "oneOf"):
            for i, sub in enumerate(s.get(k, [])):
                check_schema(sub, "%s/%s/%d" % (where, k, i))
    for name, s in doc.get("components", {}).get("schemas", {}).items():
        check_schema(s, "#/components/schemas/" + name)

    op_ids = set()
    for p, item in doc.get("paths", {}).items():
        if not p.startswith("/"):
            problems.append("path %s: does not start with /" % p)
        tmpl = set(re.findall(r"{([^}]+)}", p))
        common = [v.deref(x) for x in item.get("parameters", [])]
        ops = [m for m in METHODS if m in item]
        if not ops:
            problems.append("path %s: no operations" % p)
        for m in ops:
            op = item[m]
            where = "%s %s" % (m.upper(), p)
            if op.get("operationId"):
                if op["operationId"] in op_ids:
                    problems.append("%s: duplicate operationId" % where)
                op_ids.add(op["operationId"])
            params = common + [v.deref(x) for x in op.get("parameters", [])]
            for prm in params:
                if prm.get("in") not in ("query", "header", "path", "cookie"):
                    problems.append("%s: parameter %s: bad 'in'" % (where, prm.get("name")))
                if "schema" not in prm and "content" not in prm:
                    problems.append("%s: parameter %s: no schema" % (where, prm.get("name")))
                if prm.get("in") == "path" and not prm.get("required"):
                    problems.append("%s: path parameter %s not required" % (where, prm.get("name")))
            declared = {x.get("name") for x in params if x.get("in") == "path"}
            if declared != tmpl:
                problems.append("%s: path parameters %s vs template %s" % (where, sorted(declared), sorted(tmpl)))
            resps = op.get("responses")
            if not resps:
                problems.append("%s: no responses" % where)
                continue
            for code, r in resps.items():
                if not re.match(r"^([1-5][0-9][0-9]|[1-5]XX|default)$", code):
                    problems.append("%s: bad response code %s" % (where, code))
                r = v.deref(r)
                if not r.get("description"):
                    problems.append("%s %s: response without description" % (where, code))
                for ct, media in r.get("content", {}).items():
                    if "schema" not in media:
                        problems.append("%s %s %s: no schema" % (where, code, ct))
                    else:
                        check_schema(v.deref(media["schema"]), "%s %s %s" % (where, code, ct))
                if code.startswith(("4", "5")) and code != "default":
                    if "application/problem+json" not in r.get("content", {}):
                        problems.append("%s %s: error without application/problem+json" % (where, code))
            if "requestBody" in op:
                rb = v.deref(op["requestBody"])
                if not rb.get("content"):
                    problems.append("%s: requestBody without content" % where)
    return problems


# --------------------------------------------------------------------------------------
# Reporting

class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, errors):
        if isinstance(errors, bool):
            errors = [] if errors else ["failed"]
        elif isinstance(errors, str):
            errors = [errors]
        errors = list(errors or [])
        if errors:
            self.failed += 1
            print("FAIL %s" % name)
            for e in errors[:15]:
                print("     %s" % e)
            if len(errors) > 15:
                print("     ... %d more" % (len(errors) - 15))
        else:
            self.passed += 1
            print("ok   %s" % name)
        sys.stdout.flush()
        return not errors

    def skip(self, name, why):
        print("skip %s (%s)" % (name, why))

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


# --------------------------------------------------------------------------------------
# Self-test

SELF_DOC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {"/things": {"get": {"responses": {"200": {"description": "ok", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
    "components": {"schemas": {
        "Thing": {
            "type": "object", "additionalProperties": False, "required": ["id", "n", "when"],
            "properties": {
                "id": {"type": "string", "minLength": 1, "maxLength": 4, "pattern": "^[a-z]+$"},
                "n": {"type": "integer", "minimum": 0, "maximum": 10},
                "x": {"type": "number", "minimum": -1.5, "maximum": 1.5},
                "flag": {"type": "boolean"},
                "when": {"type": "string", "format": "date-time"},
                "maybe": {"type": "string", "nullable": True},
                "color": {"type": "string", "enum": ["red", "green"]},
                "ncolor": {"type": "string", "nullable": True, "enum": ["red", None]},
                "tags": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}},
                "child": {"$ref": "#/components/schemas/Child"},
                "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
                "open": {"type": "object"},
                "either": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                "any": {"anyOf": [{"type": "integer", "minimum": 5}, {"type": "string", "maxLength": 1}]},
                "all": {"allOf": [{"type": "integer", "minimum": 1}, {"maximum": 3}]},
            }},
        "Child": {"type": "object", "nullable": True, "required": ["k"], "additionalProperties": False,
                  "properties": {"k": {"type": "string"}}},
    }},
}


SAMPLE_EVENT = {"id": "e-1", "stage": "received", "time": "2026-11-25T08:00:00Z", "actor": None,
                "department": None, "note": None, "deadline": None}
SAMPLE_INCIDENT = {
    "id": "c-20261125-0001", "title": "Overflowing bin", "description": None, "class": "0101",
    "source": "hotline", "priority": "normal", "location": {"lon": 116.39, "lat": 39.91},
    "address": "", "cell": "11010200100101", "department": None, "stage": "received", "status": "open",
    "received_at": "2026-11-25T08:00:00Z", "deadline": "2026-11-25T20:00:00.5Z", "closed_at": None,
    "updated_at": "2026-11-25T08:00:00Z", "seq": 12, "reporter": {"name": "Li", "phone": None},
    "visit": {"contacted": True, "resolved": False, "satisfaction": None}, "timeline": [SAMPLE_EVENT]}
SAMPLE_CELL = {"type": "Feature", "id": "11010200100101",
               "geometry": {"type": "Polygon", "coordinates": [[[116.0, 39.0], [116.1, 39.0], [116.1, 39.1], [116.0, 39.0]]]},
               "properties": {"code": "11010200100101", "name": "Cell 1", "community": "C", "community_code": "110102001001",
                              "street_code": "110102001", "worker": {"name": "Wang", "phone": "123"}, "party_branch": None}}


def spec_self_test(report, doc):
    """Hand-made wire documents against the real spec's schemas."""
    v = Validator(doc)

    def S(name):
        return {"$ref": "#/components/schemas/" + name}

    def without(d, k):
        return {x: y for x, y in d.items() if x != k}
    minimal = {k: SAMPLE_INCIDENT[k] for k in ("id", "title", "class", "source", "priority", "location", "address",
                                               "stage", "status", "received_at", "updated_at", "seq")}
    minimal["timeline"] = []
    good = [
        ("Incident full", "Incident", SAMPLE_INCIDENT),
        ("Incident minimal (optional fields absent)", "Incident", minimal),
        ("Change", "Change", {"seq": 12, "kind": "incident", "incident": SAMPLE_INCIDENT}),
        ("IncidentPage", "IncidentPage", {"items": [SAMPLE_INCIDENT], "next_cursor": None, "seq": 12}),
        ("ChangePage", "ChangePage", {"items": [], "next_since": 5, "latest": 9}),
        ("Cell", "Cell", SAMPLE_CELL),
        ("Cell 15 digits, no worker", "Cell", dict(SAMPLE_CELL, id="110102001001012", properties=dict(
            SAMPLE_CELL["properties"], code="110102001001012", worker=None))),
        ("CellCollection", "CellCollection", {"type": "FeatureCollection", "features": [SAMPLE_CELL]}),
        ("Department", "Department", {"id": "cg", "name": "城管", "phone": None, "dispatch_minutes": 30, "handle_hours": 24}),
        ("IncidentClass", "IncidentClass", {"code": "0101", "name": "暴露垃圾", "category": "市容环境", "kind": "event",
                                            "department": None, "deadline_hours": 12, "priority": "normal"}),
        ("Health", "Health", {"status": "ok", "version": "0.1.0", "seq": 0, "time": "2026-11-25T08:00:00Z", "speed": 60, "incidents": 0}),
        ("Problem", "Problem", {"type": "https://gridwatch.org/problems/bad-request", "title": "Bad Request", "status": 400,
                                "detail": "location.lat: expected a number", "field": "location.lat"}),
        ("IncidentReport minimal", "IncidentReport", {"title": "t", "class": "0101", "source": "app",
                                                      "location": {"lon": 0, "lat": 0}, "address": ""}),
        ("IncidentReport nulls", "IncidentReport", {"id": None, "title": "t", "description": None, "class": "0101", "source": "app",
                                                    "priority": None, "location": {"lon": 0, "lat": 0}, "address": "",
                                                    "received_at": None, "reporter": None}),
        ("StageEvent extended", "StageEvent", {"id": "e-2", "stage": "extended", "time": "2026-11-25T09:00:00+08:00",
                                               "deadline": "2026-11-26T09:00:00Z"}),
    ]
    for name, schema, inst in good:
        report.check("spec accepts good %s" % name, v.validate(inst, S(schema)))
    bad = [
        ("Incident unknown field", "Incident", dict(SAMPLE_INCIDENT, colour="red")),
        ("Incident missing timeline", "Incident", without(SAMPLE_INCIDENT, "timeline")),
        ("Incident null title", "Incident", dict(SAMPLE_INCIDENT, title=None)),
        ("Incident empty title", "Incident", dict(SAMPLE_INCIDENT, title="")),
        ("Incident bad id", "Incident", dict(SAMPLE_INCIDENT, id="a b")),
        ("Incident lat 91", "Incident", dict(SAMPLE_INCIDENT, location={"lon": 0, "lat": 91})),
        ("Incident lon 181", "Incident", dict(SAMPLE_INCIDENT, location={"lon": 181, "lat": 0})),
        ("Incident lat as string", "Incident", dict(SAMPLE_INCIDENT, location={"lon": 0, "lat": "1"})),
        ("Incident unknown stage", "Incident", dict(SAMPLE_INCIDENT, stage="foo")),
        ("Incident status pending", "Incident", dict(SAMPLE_INCIDENT, status="pending")),
        ("Incident seq -1", "Incident", dict(SAMPLE_INCIDENT, seq=-1)),
        ("Incident seq true", "Incident", dict(SAMPLE_INCIDENT, seq=True)),
        ("Incident seq 1.5", "Incident", dict(SAMPLE_INCIDENT, seq=1.5)),
        ("Incident cell 13 digits", "Incident", dict(SAMPLE_INCIDENT, cell="1101020010010")),
        ("Incident time without zone", "Incident", dict(SAMPLE_INCIDENT, received_at="2026-11-25T08:00:00")),
        ("Incident visit contacted 1", "Incident", dict(SAMPLE_INCIDENT, visit={"contacted": 1, "resolved": False})),
        ("Incident visit bad satisfaction", "Incident", dict(SAMPLE_INCIDENT, visit={"contacted": True, "resolved": True, "satisfaction": "meh"})),
        ("Incident class letters", "Incident", dict(SAMPLE_INCIDENT, **{"class": "A1"})),
        ("StageEvent empty id", "StageEvent", dict(SAMPLE_EVENT, id="")),
        ("StageEvent id 129 chars", "StageEvent", dict(SAMPLE_EVENT, id="e" * 129)),
        ("Change seq 0", "Change", {"seq": 0, "kind": "incident", "incident": SAMPLE_INCIDENT}),
        ("Change kind other", "Change", {"seq": 1, "kind": "cell", "incident": SAMPLE_INCIDENT}),
        ("IncidentReport with stage", "IncidentReport", {"title": "t", "class": "0101", "source": "app",
                                                         "location": {"lon": 0, "lat": 0}, "address": "", "stage": "closed"}),
        ("IncidentReport without address", "IncidentReport", {"title": "t", "class": "0101", "source": "app",
                                                               "location": {"lon": 0, "lat": 0}}),
        ("Cell ring of 3", "Cell", dict(SAMPLE_CELL, geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]})),
        ("Cell MultiPolygon", "Cell", dict(SAMPLE_CELL, geometry=dict(SAMPLE_CELL["geometry"], type="MultiPolygon"))),
        ("Cell bad street_code", "Cell", dict(SAMPLE_CELL, properties=dict(SAMPLE_CELL["properties"], street_code="11"))),
        ("Department handle_hours 0", "Department", {"id": "x", "name": "x", "dispatch_minutes": 1, "handle_hours": 0}),
        ("IncidentClass kind other", "IncidentClass", {"code": "1", "name": "n", "category": "c", "kind": "thing",
                                                       "deadline_hours": 1, "priority": "normal"}),
        ("Problem unknown slug", "Problem", {"type": "https://gridwatch.org/problems/oops", "title": "t", "status": 400, "detail": "d"}),
        ("Health status bad", "Health", {"status": "bad", "version": "0.1.0", "seq": 0, "time": "2026-11-25T08:00:00Z", "speed": 1, "incidents": 0}),
        ("IncidentPage without next_cursor", "IncidentPage", {"items": [], "seq": 0}),
    ]
    for name, schema, inst in bad:
        report.check("spec rejects bad %s" % name, [] if v.validate(inst, S(schema)) else ["accepted"])


def self_test(report):
    v = Validator(SELF_DOC)
    thing = {"$ref": "#/components/schemas/Thing"}
    good = {"id": "ab", "n": 3, "when": "2026-11-25T08:00:00Z"}
    cases_good = [
        ("minimal", good),
        ("all fields", dict(good, x=1.25, flag=False, maybe=None, color="red", ncolor=None, tags=["a"],
                            child={"k": "v"}, extra={"a": 1}, open={"anything": [1, None]},
                            either="s", any=7, all=2, when="2026-11-25T08:00:00.123456+08:00")),
        ("number accepts int", dict(good, x=1)),
        ("nullable ref", dict(good, child=None)),
        ("anyOf second branch", dict(good, any="z")),
        ("lower-case t/z time", dict(good, when="2026-11-25t08:00:00z")),
        ("leap second", dict(good, when="2016-12-31T23:59:60Z")),
        ("bounds inclusive", dict(good, n=10, x=-1.5)),
    ]
    for name, inst in cases_good:
        report.check("self-test good: %s" % name, v.validate(inst, thing))

    cases_bad = [
        ("missing required", {"id": "ab", "n": 3}, "missing required property 'when'"),
        ("unknown property", dict(good, zzz=1), "$.zzz: unknown property"),
        ("bool is not integer", dict(good, n=True), "$.n: expected integer"),
        ("float is not integer", dict(good, n=3.0), "$.n: expected integer"),
        ("bool is not number", dict(good, x=False), "$.x: expected number"),
        ("int is not boolean", dict(good, flag=1), "$.flag: expected boolean"),
        ("string is not integer", dict(good, n="3"), "$.n: expected integer"),
        ("null not allowed", dict(good, id=None), "$.id: null is not allowed"),
        ("enum", dict(good, color="blue"), "$.color: 'blue' is not one of"),
        ("nullable enum", dict(good, ncolor="green"), "$.ncolor: 'green' is not one of"),
        ("minimum", dict(good, n=-1), "$.n: -1 is less than 0"),
        ("maximum", dict(good, x=1.6), "$.x: 1.6 is greater than 1.5"),
        ("minLength", dict(good, id=""), "$.id: shorter than 1"),
        ("maxLength", dict(good, id="abcde"), "$.id: longer than 4"),
        ("pattern", dict(good, id="AB"), "$.id: 'AB' does not match"),
        ("time without zone", dict(good, when="2026-11-25T08:00:00"), "not an RFC 3339 time"),
        ("time date only", dict(good, when="2026-11-25"), "not an RFC 3339 time"),
        ("time bad month", dict(good, when="2026-13-25T08:00:00Z"), "not an RFC 3339 time"),
        ("time bad day", dict(good, when="2026-02-30T08:00:00Z"), "not an RFC 3339 time"),
        ("time bad offset", dict(good, when="2026-11-25T08:00:00+25:00"), "not an RFC 3339 time"),
        ("time with space", dict(good, when="2026-11-25 08:00:00Z"), "not an RFC 3339 time"),
        ("minItems", dict(good, tags=[]), "$.tags: fewer than 1"),
        ("maxItems", dict(good, tags=["a", "b", "c"]), "$.tags: more than 2"),
        ("items type", dict(good, tags=[1]), "$.tags[0]: expected string"),
        ("ref target", dict(good, child={"k": 1}), "$.child.k: expected string"),
        ("ref additionalProperties", dict(good, child={"k": "v", "q": 1}), "$.child.q: unknown property"),
        ("additionalProperties schema", dict(good, extra={"a": "x"}), "$.extra.a: expected integer"),
        ("oneOf none", dict(good, either=1.5), "matches 0 of oneOf"),
        ("anyOf none", dict(good, any=2), "matches none of anyOf"),
        ("allOf", dict(good, all=4), "$.all: 4 is greater than 3"),
        ("not an object", [good], "$: expected object"),
    ]
    for name, inst, expect in cases_bad:
        errs = v.validate(inst, thing)
        report.check("self-test bad: %s" % name,
                     [] if any(expect in e for e in errs) else ["expected an error containing %r, got %r" % (expect, errs)])

    # oneOf ambiguity
    errs = v.validate(1, {"oneOf": [{"type": "integer"}, {"type": "number"}]})
    report.check("self-test bad: oneOf ambiguous", [] if errs else ["no error"])

    # spec sanity on broken documents
    broken = json.loads(json.dumps(SELF_DOC))
    broken["components"]["schemas"]["Thing"]["properties"]["child"] = {"$ref": "#/components/schemas/Nope"}
    broken["paths"] = {
        "/a/{id}": {"get": {"responses": {}}},
        "/b": {"get": {"responses": {"404": {"description": "x", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    }
    problems = check_spec(broken)
    for expect in ("unresolvable $ref #/components/schemas/Nope", "GET /a/{id}: no responses",
                   "GET /b 404: error without application/problem+json"):
        report.check("self-test spec sanity catches: %s" % expect,
                     [] if any(expect in p for p in problems) else ["not reported: %r" % problems])
    report.check("self-test spec sanity: self doc is clean", check_spec(SELF_DOC))

    # SSE framing
    frames = list(parse_sse_lines(iter([
        ": heartbeat", "", "id: 7", "event: incident", "data: {\"a\":", "data: 1}", "", "retry: 5", "data:x", ""])))
    report.check("self-test sse parser", [] if frames == [
        {"id": "7", "event": "incident", "data": "{\"a\":\n1}"}, {"id": None, "event": None, "data": "x"}]
        else ["got %r" % frames])
    report.check("self-test media type", [] if media_type("application/JSON; charset=utf-8") == "application/json" else ["bad"])
    report.check("self-test path matching", [] if match_path(
        {"/incidents": {}, "/incidents/{id}": {}, "/incidents/{id}/events": {}}, "/incidents/a.b-1/events") ==
        ("/incidents/{id}/events", {"id": "a.b-1"}) else ["bad"])


# --------------------------------------------------------------------------------------
# HTTP and SSE helpers

def media_type(value):
    return (value or "").split(";")[0].strip().lower()


def match_path(paths, path):
    for tmpl in paths:
        rx = "^" + re.sub(r"\\{([^}]+)\\}", r"(?P<\1>[^/]+)", re.escape(tmpl)) + "$"
        m = re.match(rx, path)
        if m:
            return tmpl, {k: urllib.parse.unquote(v) for k, v in m.groupdict().items()}
    return None, None


def parse_sse_lines(lines):
    """Yields {"id", "event", "data"} for each dispatched event (comments skipped)."""
    ev = {"id": None, "event": None, "data": None}
    for line in lines:
        if line == "":
            if ev["data"] is not None:
                yield ev
            ev = {"id": None, "event": None, "data": None}
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            ev["data"] = value if ev["data"] is None else ev["data"] + "\n" + value
        elif field in ("id", "event"):
            ev[field] = value


class Response:
    def __init__(self, status, headers, body, raw=None):
        self.status = status
        self.headers = headers
        self.body = body
        self.raw = raw  # the open response, for streams

    def header(self, name):
        return self.headers.get(name)

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Client:
    def __init__(self, base, token):
        self.base = base.rstrip("/")
        self.token = token

    def request(self, method, path, body=None, headers=None, auth=True, stream=False, timeout=30):
        h = {"Accept": "application/json"}
        if auth and self.token:
            h["Authorization"] = "Bearer " + self.token
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=h)
        try:
            resp = urllib.request.urlopen(req, timeout=timeout)
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())
        if stream:
            return Response(resp.status, resp.headers, b"", raw=resp)
        with resp:
            return Response(resp.status, resp.headers, resp.read())


# --------------------------------------------------------------------------------------
# The live run

class Live:
    PREFIX = "/api/v1"

    def __init__(self, doc, client, report):
        self.doc = doc
        self.v = Validator(doc)
        self.c = client
        self.r = report

    def operation(self, method, path):
        p = urllib.parse.urlsplit(path).path
        if not p.startswith(self.PREFIX):
            return None, None
        tmpl, _ = match_path(self.doc["paths"], p[len(self.PREFIX):])
        if tmpl is None:
            return None, None
        return tmpl, self.doc["paths"][tmpl].get(method.lower())

    def check_response(self, method, path, resp, expect=None, slug=None):
        """Validates resp against the spec; returns (errors, parsed body or None)."""
        errors = []
        body = None
        tmpl, op = self.operation(method, path)
        if op is None:
            return ["%s %s: no such operation in the spec" % (method, path)], None
        if expect is not None and resp.status not in (expect if isinstance(expect, tuple) else (expect,)):
            errors.append("status %d, expected %s" % (resp.status, expect))
            if resp.body:
                errors.append("body: %s" % resp.body[:300].decode("utf-8", "replace"))
        rdef = op["responses"].get(str(resp.status)) or op["responses"].get("%dXX" % (resp.status // 100)) \
            or op["responses"].get("default")
        if rdef is None:
            errors.append("status %d not declared for %s %s" % (resp.status, method.upper(), tmpl))
            return errors, None
        rdef = self.v.deref(rdef)
        for name, hdef in rdef.get("headers", {}).items():
            hdef = self.v.deref(hdef)
            value = resp.header(name)
            if value is None:
                if hdef.get("required"):
                    errors.append("header %s missing" % name)
                continue
            errors += ["header %s: %s" % (name, e) for e in self.v.validate(value, hdef.get("schema", {}))]
        content = rdef.get("content")
        if content:
            ct = media_type(resp.header("Content-Type"))
            if ct not in content:
                errors.append("content type %r, declared %s" % (ct, sorted(content)))
                return errors, None
            schema = content[ct].get("schema", {})
            if ct.endswith("json"):
                if resp.raw is not None:
                    return errors, None
                try:
                    body = resp.json()
                except ValueError as e:
                    errors.append("body is not JSON: %s" % e)
                    return errors, None
                errors += self.v.validate(body, schema)
                if ct == "application/problem+json" and isinstance(body, dict):
                    if body.get("status") != resp.status:
                        errors.append("problem status %r != HTTP status %d" % (body.get("status"), resp.status))
                    if slug is not None:
                        slugs = slug if isinstance(slug, tuple) else (slug,)
                        if body.get("type") not in ["https://gridwatch.org/problems/" + s for s in slugs]:
                            errors.append("problem type %r, expected %s" % (body.get("type"), "|".join(slugs)))
        elif resp.body and resp.raw is None:
            errors.append("unexpected body for a response without content: %r" % resp.body[:100])
        return errors, body

    def call(self, name, method, path, expect, body=None, headers=None, auth=True, slug=None, extra=None):
        """Makes a request, validates it and records one check; returns (resp, parsed body)."""
        try:
            resp = self.c.request(method, self.PREFIX + path, body=body, headers=headers, auth=auth)
        except Exception as e:  # connection errors
            self.r.check(name, ["request failed: %r" % e])
            return None, None
        errors, parsed = self.check_response(method, self.PREFIX + path, resp, expect, slug)
        if extra and not errors:
            try:
                errors += extra(resp, parsed) or []
            except Exception as e:
                errors.append("semantic check raised %r" % e)
        self.r.check(name, errors)
        return resp, parsed

    # ----------------------------------------------------------------------------------

    def run(self):
        _, health = self.call("GET /health without auth → 200 Health", "GET", "/health", 200, auth=False)
        self.health = health or {}
        self.call("GET /cells without token → 401", "GET", "/cells", 401, auth=False, slug="unauthorized",
                  extra=lambda r, b: [] if (r.header("WWW-Authenticate") or "").lower().startswith("bearer") else ["no WWW-Authenticate: Bearer"])
        self.call("GET /incidents with a wrong token → 401", "GET", "/incidents?limit=1", 401,
                  headers={"Authorization": "Bearer wrong"}, slug="unauthorized")
        self.reference()
        self.incidents()
        self.changes()
        self.posts()
        self.events()
        self.misc()

    def conditional(self, label, path, resp):
        etag = resp.header("ETag") if resp else None
        if not etag:
            self.r.check("%s If-None-Match → 304" % label, ["no ETag to send"])
            return
        self.call("%s If-None-Match → 304" % label, "GET", path, 304, headers={"If-None-Match": etag})

    def reference(self):
        def cells_sem(r, b):
            errs = []
            for i, f in enumerate(b["features"]):
                p = f["properties"]
                if f["id"] != p["code"]:
                    errs.append("features[%d]: id %s != code %s" % (i, f["id"], p["code"]))
                if p["community_code"] != p["code"][:12] or p["street_code"] != p["code"][:9]:
                    errs.append("features[%d]: community/street code not the prefix of %s" % (i, p["code"]))
                ring = f["geometry"]["coordinates"][0]
                if ring[0] != ring[-1]:
                    errs.append("features[%d]: ring not closed" % i)
                for lon, lat in ring:
                    if not -90 <= lat <= 90:
                        errs.append("features[%d]: lat %r out of range" % (i, lat))
            if not b["features"]:
                errs.append("no cells")
            return errs
        r, self.cells = self.call("GET /cells → 200 CellCollection", "GET", "/cells", 200, extra=cells_sem)
        self.conditional("GET /cells", "/cells", r)
        r, d = self.call("GET /departments → 200", "GET", "/departments", 200,
                         extra=lambda r, b: [] if b["items"] else ["no departments"])
        self.departments = (d or {}).get("items", [])
        self.conditional("GET /departments", "/departments", r)
        r, c = self.call("GET /classes → 200", "GET", "/classes", 200,
                         extra=lambda r, b: [] if b["items"] else ["no classes"])
        self.classes = (c or {}).get("items", [])
        self.conditional("GET /classes", "/classes", r)

    def page_all(self, label, query, check_item=None, limit=100):
        """Pages through a snapshot; returns the list of incidents (or None on failure)."""
        items, cursor, seq, pages = [], None, None, 0
        errors = []
        first_resp = None
        while True:
            q = dict(query, limit=limit)
            if cursor:
                q["cursor"] = cursor
            path = "/incidents?" + urllib.parse.urlencode(q)
            resp = self.c.request("GET", self.PREFIX + path)
            first_resp = first_resp or resp
            errs, body = self.check_response("GET", self.PREFIX + path, resp, 200)
            pages += 1
            if errs:
                errors += ["page %d: %s" % (pages, e) for e in errs]
                break
            if seq is None:
                seq = body["seq"]
            elif body["seq"] != seq:
                errors.append("page %d: seq %d differs from the first page's %d" % (pages, body["seq"], seq))
            if len(body["items"]) > limit:
                errors.append("page %d: %d items > limit %d" % (pages, len(body["items"]), limit))
            items += body["items"]
            cursor = body["next_cursor"]
            if cursor is None or pages > 1000:
                break
            if not body["items"]:
                errors.append("page %d: empty page with a next_cursor" % pages)
        ids = [i["id"] for i in items]
        if len(set(ids)) != len(ids):
            errors.append("duplicate ids across pages: %d of %d unique" % (len(set(ids)), len(ids)))
        for inc in items:
            errors += self.incident_semantics(inc)
            if check_item:
                e = check_item(inc)
                if e:
                    errors.append("%s: %s" % (inc["id"], e))
        self.r.check("GET /incidents %s: %d incidents in %d pages, all valid" % (label, len(items), pages), errors[:50])
        return (items if not errors else None), seq, first_resp

    def incident_semantics(self, inc):
        errs = []
        want = "closed" if inc["stage"] in ("closed", "evaluated") else "open"
        if inc["status"] != want:
            errs.append("%s: status %s with stage %s" % (inc["id"], inc["status"], inc["stage"]))
        tl = inc["timeline"]
        if tl:
            times = [parse_time(e["time"]) for e in tl]
            if times != sorted(times):
                errs.append("%s: timeline not time-ordered" % inc["id"])
            if tl[-1]["stage"] != inc["stage"]:
                errs.append("%s: stage %s but last event %s" % (inc["id"], inc["stage"], tl[-1]["stage"]))
        if inc.get("cell") is not None and self.cell_codes and inc["cell"] not in self.cell_codes:
            errs.append("%s: unknown cell %s" % (inc["id"], inc["cell"]))
        return errs

    @property
    def cell_codes(self):
        return {f["id"] for f in (self.cells or {}).get("features", [])}

    def incidents(self):
        self.all, self.snap_seq, first = self.page_all("(all)", {})
        all_items = self.all or []
        if first is not None and first.status == 200:
            self.r.check("GET /incidents page has an ETag", [] if first.header("ETag") else ["no ETag"])
        if not all_items:
            self.r.skip("filters", "no incidents")
            return
        if self.health and self.snap_seq is not None:
            self.r.check("snapshot seq >= health seq", [] if self.snap_seq >= self.health["seq"] else
                         ["snapshot seq %d < health seq %d" % (self.snap_seq, self.health["seq"])])
        n_all = len(all_items)
        opn, _, _ = self.page_all("status=open", {"status": "open"}, lambda i: None if i["status"] == "open" else "not open")
        self.page_all("status=closed,evaluated", {"status": "closed,evaluated"},
                      lambda i: None if i["stage"] in ("closed", "evaluated") else "stage %s" % i["stage"], limit=250)
        depts = sorted({i["department"] for i in all_items if i.get("department")})
        if depts:
            self.page_all("department=%s" % depts[0], {"department": depts[0]},
                          lambda i: None if i.get("department") == depts[0] else "department %s" % i.get("department"))
        cells = sorted({i["cell"] for i in all_items if i.get("cell")})
        if cells:
            self.page_all("cell=%s" % cells[0], {"cell": cells[0]},
                          lambda i: None if i.get("cell") == cells[0] else "cell %s" % i.get("cell"))
        times = sorted(parse_time(i["received_at"]) for i in all_items)
        lo, hi = times[len(times) // 4], times[3 * len(times) // 4]
        got, _, _ = self.page_all("from/to (middle half)", {"from": format_time(lo), "to": format_time(hi)},
                                  lambda i: None if lo.replace(microsecond=0) <= parse_time(i["received_at"]) < hi.replace(microsecond=0)
                                  else "received_at %s outside" % i["received_at"])
        lons = sorted(i["location"]["lon"] for i in all_items)
        lats = sorted(i["location"]["lat"] for i in all_items)
        box = (lons[len(lons) // 4], lats[len(lats) // 4], lons[3 * len(lons) // 4], lats[3 * len(lats) // 4])
        got, _, _ = self.page_all("bbox", {"bbox": ",".join(repr(x) for x in box)},
                                  lambda i: None if box[0] <= i["location"]["lon"] <= box[2] and box[1] <= i["location"]["lat"] <= box[3]
                                  else "outside the box")
        if got is not None:
            self.r.check("bbox filter returns something", [] if got else ["empty"])
        self.call("GET /incidents bad cursor → 400", "GET", "/incidents?cursor=%21%21not-a-cursor", 400, slug="bad-request")
        self.call("GET /incidents limit=0 → 400", "GET", "/incidents?limit=0", 400, slug="bad-request")
        self.call("GET /incidents limit=1001 → 400", "GET", "/incidents?limit=1001", 400, slug="bad-request")
        self.call("GET /incidents status=bogus → 400", "GET", "/incidents?status=bogus", 400, slug="bad-request")
        self.call("GET /incidents from=yesterday → 400", "GET", "/incidents?from=yesterday", 400, slug="bad-request")
        self.call("GET /incidents bbox=1,2,3 → 400", "GET", "/incidents?bbox=1,2,3", 400, slug="bad-request")

        inc = all_items[len(all_items) // 2]
        path = "/incidents/" + urllib.parse.quote(inc["id"])
        r, b = self.call("GET /incidents/{id} → 200", "GET", path, 200,
                         extra=lambda r, b: [] if b["id"] == inc["id"] else ["id %s" % b["id"]])
        self.conditional("GET /incidents/{id}", path, r)
        self.call("GET /incidents/{unknown} → 404", "GET", "/incidents/no-such-case-0", 404, slug="not-found")

    def changes(self):
        def sem(since, limit):
            def f(r, b):
                errs = []
                seqs = [c["seq"] for c in b["items"]]
                if seqs != sorted(set(seqs)):
                    errs.append("seqs not strictly increasing")
                if seqs and seqs[0] <= since:
                    errs.append("seq %d <= since %d" % (seqs[0], since))
                if len(seqs) > limit:
                    errs.append("%d items > limit" % len(seqs))
                if b["next_since"] != (seqs[-1] if seqs else since):
                    errs.append("next_since %d, expected %d" % (b["next_since"], seqs[-1] if seqs else since))
                if b["latest"] < b["next_since"]:
                    errs.append("latest %d < next_since %d" % (b["latest"], b["next_since"]))
                for c in b["items"]:
                    if c["incident"]["seq"] != c["seq"]:
                        errs.append("change %d carries incident seq %d" % (c["seq"], c["incident"]["seq"]))
                        break
                for c in b["items"]:
                    errs += self.incident_semantics(c["incident"])
                return errs
            return f
        r, b = self.call("GET /changes?since=0&limit=50", "GET", "/changes?since=0&limit=50", (200, 410),
                         extra=lambda r, b: sem(0, 50)(r, b) if r.status == 200 else [])
        self.since0_gone = r is not None and r.status == 410
        if r is not None and r.status == 410:
            self.r.check("GET /changes too-old since=0 → 410 gone", self.check_response("GET", self.PREFIX + "/changes?since=0", r, 410, "gone")[0])
            since = self.snap_seq or 0
            self.call("GET /changes?since=<snapshot seq %d>&limit=50 → 200" % since, "GET",
                      "/changes?since=%d&limit=50" % since, 200, extra=sem(since, 50))
        elif b is not None:
            if b["items"] and b["items"][0]["seq"] > 1:
                self.r.check("GET /changes?since=0 with pruned changes must be 410",
                             ["returned first seq %d > 1 instead of 410 gone" % b["items"][0]["seq"]])
            else:
                self.r.skip("GET /changes too-old since → 410", "nothing pruned (retention keeps every change)")
            if b["next_since"] > 0:
                ns = b["next_since"]
                self.call("GET /changes?since=next_since&limit=1000", "GET", "/changes?since=%d&limit=1000" % ns, 200, extra=sem(ns, 1000))
        if self.snap_seq is not None:
            self.call("GET /changes?since=<snapshot seq> → 200 (the snapshot's seq is retained)", "GET",
                      "/changes?since=%d&limit=1" % self.snap_seq, 200, extra=sem(self.snap_seq, 1))
        self.call("GET /changes?since=abc → 400", "GET", "/changes?since=abc", 400, slug="bad-request")
        self.call("GET /changes limit=0 → 400", "GET", "/changes?since=0&limit=0", 400, slug="bad-request")
        self.call("GET /changes since=-1 → 400", "GET", "/changes?since=-1", 400, slug=("bad-request",))

    def read_events(self, name, path, headers, n, after, want_incident=None):
        errors = []
        got = []
        try:
            resp = self.c.request("GET", self.PREFIX + path, headers=dict({"Accept": "text/event-stream"}, **headers),
                                  stream=True, timeout=20)
        except Exception as e:
            self.r.check(name, ["request failed: %r" % e])
            return []
        errs, _ = self.check_response("GET", self.PREFIX + path, resp, 200)
        if errs or resp.raw is None:
            self.r.check(name, errs)
            return []
        change_schema = {"$ref": "#/components/schemas/Change"}
        deadline = time.time() + 45
        stream = resp.raw

        def lines():
            while time.time() < deadline:
                line = stream.readline()
                if not line:
                    return
                yield line.decode("utf-8").rstrip("\r\n")
        try:
            for ev in parse_sse_lines(lines()):
                where = "event %d" % (len(got) + 1)
                if ev["event"] != "incident":
                    errors.append("%s: event %r" % (where, ev["event"]))
                try:
                    data = json.loads(ev["data"])
                except ValueError as e:
                    errors.append("%s: data not JSON: %s" % (where, e))
                    break
                errors += ["%s: %s" % (where, e) for e in self.v.validate(data, change_schema)]
                if isinstance(data, dict) and "seq" in data:
                    if ev["id"] != str(data["seq"]):
                        errors.append("%s: id %r != data seq %r" % (where, ev["id"], data["seq"]))
                    prev = got[-1] if got else after
                    if isinstance(data["seq"], int) and data["seq"] <= prev:
                        errors.append("%s: seq %d not > %d" % (where, data["seq"], prev))
                    if want_incident is not None:
                        if data.get("incident", {}).get("id") != want_incident:
                            continue  # a simulator change; keep reading
                    got.append(data["seq"])
                if len(got) >= n:
                    break
        except Exception as e:
            errors.append("reading the stream: %r" % e)
        finally:
            stream.close()
        if len(got) < n:
            errors.append("only %d of %d events arrived" % (len(got), n))
        self.r.check("%s: %d events valid (seq %s)" % (name, len(got), ",".join(map(str, got))), errors)
        return got

    def events(self):
        _, h = self.call("GET /health (current seq)", "GET", "/health", 200, auth=False)
        seq = (h or self.health).get("seq", 0)
        # the snapshot's seq is where a client follows the feed from, so it must still be retained
        floor = self.snap_seq or 0
        since = max(seq - 5, floor)
        got = self.read_events("GET /events?since=%d (seq-5, not below the snapshot seq)" % since,
                               "/events?since=%d" % since, {}, 3, since)
        if got and got[0] != since + 1:
            self.r.check("GET /events resumes at since+1", ["first seq %d, expected %d" % (got[0], since + 1)])
        lei = max(seq - 2, floor)
        self.read_events("GET /events Last-Event-ID: %d" % lei, "/events", {"Last-Event-ID": str(lei)}, 1, lei)
        if self.since0_gone:
            try:
                resp = self.c.request("GET", self.PREFIX + "/events?since=0", stream=True, timeout=20)
                if resp.raw is not None:
                    resp.raw.close()
                errs = self.check_response("GET", self.PREFIX + "/events?since=0", resp, 410, "gone")[0]
            except Exception as e:
                errs = ["request failed: %r" % e]
            self.r.check("GET /events too-old since=0 → 410 gone", errs)
        else:
            self.r.skip("GET /events too-old since → 410", "nothing pruned (retention keeps every change)")

        # a live change: open the stream at the current seq, then report a new case
        _, h = self.call("GET /health (seq before the live change)", "GET", "/health", 200, auth=False)
        seq = (h or self.health).get("seq", 0)
        if self.classes and self.cells:
            loc, _ = self.pick_location()
            body = {"id": "oa-live-%d-%d" % (os.getpid(), int(time.time())), "title": "OpenAPI check: live event",
                    "class": self.classes[0]["code"], "source": "video", "location": loc, "address": ""}
            result = {}

            def post_later():
                time.sleep(1.0)
                try:
                    result["status"] = self.c.request("POST", self.PREFIX + "/incidents", body=body).status
                except Exception as e:
                    result["status"] = repr(e)
            t = threading.Thread(target=post_later, daemon=True)
            t.start()
            got = self.read_events("GET /events?since=<current> delivers a live change", "/events?since=%d" % seq, {}, 1, seq,
                                   want_incident=body["id"])
            t.join(10)
            self.r.check("POST /incidents during the stream → 201", [] if result.get("status") == 201 else ["status %r" % result.get("status")])
        self.call("GET /events without token → 401", "GET", "/events?since=0", 401, auth=False, slug="unauthorized")
        self.call("GET /events?since=abc → 400", "GET", "/events?since=abc", 400, slug="bad-request")

    def pick_location(self):
        f = self.cells["features"][0]
        ring = f["geometry"]["coordinates"][0][:-1]
        lon = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        return {"lon": round(lon, 6), "lat": round(lat, 6)}, f["id"]

    def posts(self):
        if not self.classes or not self.cells:
            self.r.skip("POST checks", "no classes or cells")
            return
        klass = self.classes[0]
        loc, cell = self.pick_location()
        _, h = self.call("GET /health (clock)", "GET", "/health", 200, auth=False)
        now = parse_time((h or self.health)["time"]).replace(microsecond=0)
        case_id = "oa-%d-%d" % (os.getpid(), int(time.time()))
        report = {"id": case_id, "title": "OpenAPI check: overflowing bin", "description": "Posted by validate_openapi.py",
                  "class": klass["code"], "source": "app", "location": loc, "address": "1 Test Street",
                  "received_at": format_time(now), "reporter": {"name": "Tester", "phone": None}}

        def created(r, b):
            errs = []
            if b["id"] != case_id:
                errs.append("id %s" % b["id"])
            if b["stage"] != "received" or b["status"] != "open":
                errs.append("stage %s status %s" % (b["stage"], b["status"]))
            if b["priority"] != klass["priority"]:
                errs.append("priority %s, class default %s" % (b["priority"], klass["priority"]))
            if len(b["timeline"]) != 1 or b["timeline"][0]["stage"] != "received":
                errs.append("timeline %r" % [e["stage"] for e in b["timeline"]])
            loc_h = r.header("Location") or ""
            if not loc_h.endswith("/api/v1/incidents/" + case_id):
                errs.append("Location %r" % loc_h)
            if b.get("cell") not in (None, cell):
                errs.append("cell %s (point is the centroid of %s)" % (b.get("cell"), cell))
            return errs
        r, inc = self.call("POST /incidents valid report → 201", "POST", "/incidents", 201, body=report, extra=created)
        self.call("POST /incidents idempotent re-post → 200", "POST", "/incidents", 200, body=report,
                  extra=lambda r, b: [] if inc and b == inc else ["differs from the first answer"])
        self.call("POST /incidents same id, other content → 409", "POST", "/incidents", 409,
                  body=dict(report, title="Something else"), slug="conflict")
        r2, anon = self.call("POST /incidents without id → 201 (server assigns an id)", "POST", "/incidents", 201,
                             body={k: v for k, v in report.items() if k not in ("id", "received_at")})
        self.call("GET /incidents/{new id} → 200", "GET", "/incidents/" + case_id, 200)

        bad = [("unknown field 'stage'", dict(report, id=case_id + "-b1", stage="closed"), "stage"),
               ("server field 'seq'", dict(report, id=case_id + "-b2", seq=5), "seq"),
               ("missing title", {k: v for k, v in report.items() if k != "title"}, "title"),
               ("lat out of range", dict(report, id=case_id + "-b3", location={"lon": loc["lon"], "lat": 95.0}), "location.lat"),
               ("lat as string", dict(report, id=case_id + "-b4", location={"lon": loc["lon"], "lat": "39.9"}), "location.lat"),
               ("unknown source", dict(report, id=case_id + "-b5", source="pigeon"), "source"),
               ("time without zone", dict(report, id=case_id + "-b6", received_at="2026-11-25T08:00:00"), "received_at"),
               ("bad id", dict(report, id="has space"), "id")]
        for label, body, field in bad:
            def fieldcheck(r, b, field=field):
                errs = []
                if "field" in b and b["field"] != field:
                    errs.append("problem field %r, expected %r" % (b["field"], field))
                if not b["detail"].startswith(field):
                    errs.append("detail %r does not start with %r" % (b["detail"], field))
                return errs
            self.call("POST /incidents invalid (%s) → 400" % label, "POST", "/incidents", 400, body=body,
                      slug="bad-request", extra=fieldcheck)
        self.call("POST /incidents malformed JSON → 400", "POST", "/incidents", 400, body=b"{\"title\": ",
                  headers={"Content-Type": "application/json"}, slug="bad-request")
        self.call("POST /incidents text/plain → 415", "POST", "/incidents", 415, body=b"hello",
                  headers={"Content-Type": "text/plain"}, slug="unsupported-media-type")
        big = dict(report, id=case_id + "-big", description="x" * (70 * 1024))
        self.call("POST /incidents 70 KiB body → 413", "POST", "/incidents", 413, body=big, slug="payload-too-large")
        self.call("POST /incidents without token → 401", "POST", "/incidents", 401, body=report, auth=False, slug="unauthorized")

        if inc is None:
            self.r.skip("stage event checks", "no created incident")
            return
        ev_path = "/incidents/%s/events" % case_id
        t1 = now + datetime.timedelta(minutes=1)
        event = {"id": "oa-e1", "stage": "registered", "time": format_time(t1), "actor": "validator", "note": None}
        r, after = self.call("POST /incidents/{id}/events registered → 201", "POST", ev_path, 201, body=event,
                             extra=lambda r, b: ([] if b["stage"] == "registered" and b["timeline"][-1]["id"] == "oa-e1"
                                                 and b["seq"] > inc["seq"] else
                                                 ["stage %s, last event %s, seq %d (was %d)" % (b["stage"], b["timeline"][-1]["id"], b["seq"], inc["seq"])]))
        self.call("POST /incidents/{id}/events idempotent re-post → 200", "POST", ev_path, 200, body=event,
                  extra=lambda r, b: [] if after and b == after else ["differs from the first answer"])
        self.call("POST /incidents/{id}/events same id, other content → 409 conflict", "POST", ev_path, 409,
                  body=dict(event, note="changed"), slug="conflict")
        self.call("POST /incidents/{id}/events bad transition (registered → evaluated) → 409", "POST", ev_path, 409,
                  body={"id": "oa-e2", "stage": "evaluated", "time": format_time(t1 + datetime.timedelta(minutes=1))},
                  slug="invalid-transition")
        self.call("POST /incidents/{id}/events earlier than the last event → 409 out-of-order", "POST", ev_path, 409,
                  body={"id": "oa-e3", "stage": "parked", "time": format_time(now - datetime.timedelta(hours=1))},
                  slug="out-of-order")
        if inc.get("department") is None:
            self.call("POST /incidents/{id}/events dispatched without department → 409", "POST", ev_path, 409,
                      body={"id": "oa-e4", "stage": "dispatched", "time": format_time(t1 + datetime.timedelta(minutes=2))},
                      slug="invalid-transition")
        else:
            self.r.skip("dispatched without department → 409", "the new case already has department %s" % inc["department"])
        self.call("POST /incidents/{id}/events unknown stage → 400", "POST", ev_path, 400,
                  body={"id": "oa-e5", "stage": "foo", "time": format_time(t1)}, slug="bad-request")
        self.call("POST /incidents/{unknown}/events → 404", "POST", "/incidents/no-such-case-0/events", 404,
                  body={"id": "oa-e6", "stage": "registered", "time": format_time(t1)}, slug="not-found")
        if self.departments:
            self.call("POST /incidents/{id}/events dispatched → 201", "POST", ev_path, 201,
                      body={"id": "oa-e7", "stage": "dispatched", "time": format_time(t1 + datetime.timedelta(minutes=3)),
                            "department": self.departments[0]["id"]},
                      extra=lambda r, b: [] if b["department"] == self.departments[0]["id"] and b["stage"] == "dispatched"
                      else ["department %s stage %s" % (b.get("department"), b["stage"])])

        # the new changes show up in the feed
        since = inc["seq"] - 1
        self.call("GET /changes shows the posted case", "GET", "/changes?since=%d&limit=1000" % since, 200,
                  extra=lambda r, b: [] if any(c["incident"]["id"] == case_id for c in b["items"]) else ["case not in the feed"])

    def misc(self):
        try:
            resp = self.c.request("DELETE", self.PREFIX + "/incidents")
            errs = []
            if resp.status != 405:
                errs.append("status %d" % resp.status)
            elif media_type(resp.header("Content-Type")) != "application/problem+json":
                errs.append("content type %s" % resp.header("Content-Type"))
            else:
                b = resp.json()
                errs += self.v.validate(b, {"$ref": "#/components/schemas/Problem"})
                if b.get("type") != "https://gridwatch.org/problems/method-not-allowed":
                    errs.append("type %r" % b.get("type"))
        except Exception as e:
            errs = ["request failed: %r" % e]
        self.r.check("DELETE /incidents → 405 method-not-allowed", errs)
        self.call("GET /health after the run", "GET", "/health", 200, auth=False,
                  extra=lambda r, b: [] if b["seq"] >= self.health.get("seq", 0) else ["seq went backwards"])


# --------------------------------------------------------------------------------------
# Server process

def start_server(path, tmpdir, token):
    cmd = [path, "--listen", "127.0.0.1:0", "--db", os.path.join(tmpdir, "x.db"), "--simulate", "--seed", "7",
           "--history-days", "2", "--token", token]
    print("starting: %s" % " ".join(cmd))
    errlog = open(os.path.join(tmpdir, "stderr.log"), "wb")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errlog, stdin=subprocess.DEVNULL)
    deadline = time.time() + 30
    buf = b""
    base = None
    while time.time() < deadline and base is None:
        r, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.time()))
        if not r:
            break
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        buf += chunk
        m = re.search(rb"listening on (http://127\.0\.0\.1:\d+)", buf)
        if m:
            base = m.group(1).decode()
    if base is None:
        return proc, None

    def drain():
        try:
            while os.read(proc.stdout.fileno(), 4096):
                pass
        except OSError:
            pass
    threading.Thread(target=drain, daemon=True).start()
    return proc, base


def stop_server(proc):
    if proc is None or proc.poll() is not None:
        return proc.returncode if proc else None
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", help="path to openapi.json")
    ap.add_argument("--server", help="path to gridwatch-dispatchd")
    ap.add_argument("--self-test", action="store_true", help="test the validator without a server")
    ap.add_argument("--token", default="secret")
    args = ap.parse_args()
    if not args.self_test and not (args.spec and args.server):
        ap.error("use --self-test, or --spec and --server")

    report = Report()
    if args.self_test:
        self_test(report)
    doc = None
    if args.spec:
        try:
            with open(args.spec, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            report.check("spec %s loads as JSON" % args.spec, [str(e)])
            return report.finish()
        report.check("spec %s is sane (every $ref resolves, every operation has responses)" % args.spec, check_spec(doc))
    if args.self_test and doc is not None:
        spec_self_test(report, doc)
    if args.server and doc is not None:
        tmpdir = tempfile.mkdtemp(prefix="gw-openapi-")
        proc = None
        try:
            proc, base = start_server(args.server, tmpdir, args.token)
            if not report.check("server starts and prints 'listening on'", [] if base else
                                ["no 'listening on' line within 30 s (exit %r)" % proc.poll()]):
                pass
            else:
                Live(doc, Client(base, args.token), report).run()
        except Exception as e:
            import traceback
            traceback.print_exc()
            report.check("live run completes", ["%r" % e])
        finally:
            rc = stop_server(proc)
            if proc is not None:
                report.check("server exits cleanly on SIGTERM", [] if rc == 0 else ["exit status %r" % rc])
                log = os.path.join(tmpdir, "stderr.log")
                if report.failed and os.path.exists(log):
                    with open(log, "rb") as f:
                        tail = f.read()[-2000:].decode("utf-8", "replace")
                    if tail.strip():
                        print("--- server stderr (tail) ---\n" + tail)
            shutil.rmtree(tmpdir, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
