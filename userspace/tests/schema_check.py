#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate rmcp-probe --json output against rmcp-probe.schema.json.

Implements the subset of JSON Schema the schema uses (type, const, enum,
required, properties, additionalProperties: false or a schema, items, minimum,
maximum, pattern, anyOf, $ref to #/$defs/...), with the standard library only. If the
jsonschema module happens to be installed it is used as well.

usage: schema_check.py SCHEMA FILE...   exit 0 when every FILE is valid
"""
import json
import re
import sys

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def check(schema, value, root, where, errors):
    if "anyOf" in schema:
        tried = []
        for alt in schema["anyOf"]:
            e = []
            check(alt, value, root, where, e)
            if not e:
                break
            tried.append(e)
        else:
            errors.append("%s: matches no alternative (%s)" % (
                where, "; ".join(x[0] for x in tried if x)))
        return
    if "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        return check(node, value, root, where, errors)
    if "const" in schema and value != schema["const"]:
        errors.append("%s: %r is not %r" % (where, value, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r not in %r" % (where, value, schema["enum"]))
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            errors.append("%s: %r is not %s" % (where, value, "/".join(types)))
            return
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append("%s: missing %s" % (where, key))
        props = schema.get("properties", {})
        for key, sub in value.items():
            if key in props:
                check(props[key], sub, root, "%s.%s" % (where, key), errors)
            elif schema.get("additionalProperties") is False:
                errors.append("%s: unexpected key %s" % (where, key))
            elif isinstance(schema.get("additionalProperties"), dict):
                check(schema["additionalProperties"], sub, root, "%s.%s" % (where, key), errors)
        pat = schema.get("propertyNames", {}).get("pattern")
        for key in value if pat else []:
            if not re.search(pat, key):
                errors.append("%s: key %r does not match %s" % (where, key, pat))
    if isinstance(value, list) and "items" in schema:
        for i, sub in enumerate(value):
            check(schema["items"], sub, root, "%s[%d]" % (where, i), errors)
    if TYPES["integer"](value):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append("%s: %d < %d" % (where, value, schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            errors.append("%s: %d > %d" % (where, value, schema["maximum"]))
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append("%s: %r does not match %s" % (where, value, schema["pattern"]))


def main():
    schema = json.load(open(sys.argv[1]))
    bad = 0
    for name in sys.argv[2:]:
        errors = []
        try:
            # strict: the bytes must be UTF-8, as RFC 8259 requires
            with open(name, "rb") as f:
                doc = json.loads(f.read().decode("utf-8"))
        except ValueError as e:
            errors.append("not JSON: %s" % e)
        else:
            check(schema, doc, schema, "$", errors)
            try:
                import jsonschema  # optional second opinion
                jsonschema.validate(doc, schema)
            except ImportError:
                pass
            except Exception as e:  # jsonschema.ValidationError
                errors.append("jsonschema: %s" % str(e).splitlines()[0])
        for e in errors:
            print("%s: %s" % (name, e), file=sys.stderr)
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
