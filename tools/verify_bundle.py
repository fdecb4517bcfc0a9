#!/usr/bin/env python3
"""Second, independent verifier of KarabakhLedger offline audit bundles (docs/audit-bundle.md).

Usage: verify_bundle.py BUNDLE --key PUBKEY.pem [--model-hash HEX]

Written from docs/audit-bundle.md, not from the C# code. Needs Python 3.11 and the `cryptography` package (Ed25519).
Prints one line per check, "ok CATEGORY: ..." or "FAILED CATEGORY: ...", and exits 0 when every check held,
3 when one failed, 1 when the key file or the arguments are unusable.
"""

import argparse
import base64
import calendar
import datetime
import hashlib
import json
import re
import sys
from decimal import ROUND_HALF_EVEN, Decimal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

FORMAT = "karabakh-ledger audit bundle v1"
CHECKPOINT_HEADER = "karabakh-ledger checkpoint v1"
MODEL_HEADER = "karabakh-ledger scoring model v1"
SIX = Decimal("0.000001")


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(event):
    stream = event["streamId"].encode("utf-8")
    leaf = (b"\x02" + event["streamVersion"].to_bytes(8, "big") + bytes.fromhex(event["eventId"].replace("-", ""))
            + len(stream).to_bytes(4, "big") + stream + bytes.fromhex(event["hash"]))
    return sha256(b"\x00" + leaf)


def node(left, right):
    return sha256(b"\x01" + left + right)


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 section 2.1.3.2."""
    if not (0 <= index < size) or len(leaf) != 32 or any(len(p) != 32 for p in path):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def parse_checkpoint(text):
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) == 7 and lines[6] == "":
        lines = lines[:6]
    names = ["size", "root", "time", "key", "signature"]
    if len(lines) != 6 or lines[0] != CHECKPOINT_HEADER or any(not lines[i + 1].startswith(n + " ") for i, n in enumerate(names)):
        raise ValueError("not the six lines of a checkpoint")
    values = {n: lines[i + 1][len(n) + 1:] for i, n in enumerate(names)}
    if not re.fullmatch(r"0|[1-9][0-9]*", values["size"]) or not re.fullmatch(r"[0-9a-f]{64}", values["root"]):
        raise ValueError("size or root malformed")
    signature = base64.b64decode(values["signature"], validate=True)
    if len(signature) != 64:
        raise ValueError("signature is not 64 bytes")
    signed = "".join(line + "\n" for line in lines[:5]).encode("utf-8")
    return int(values["size"]), bytes.fromhex(values["root"]), values["key"], signed, signature


def canonical(text):
    """A JSON text compared by structure, numbers by their exact text."""
    return json.loads(text, parse_float=str, parse_int=str)


def hash_input(event):
    raw = base64.b64decode(event["hashInput"], validate=True)
    return raw, json.loads(raw.decode("utf-8"))


def hash_holds(event):
    try:
        raw, items = hash_input(event)
        expected = ["karabakh-ledger/v1", event["streamId"], event["streamVersion"], event["eventId"], event["type"],
                    event["schemaVersion"], event["recordedAt"], None, event["previousHash"]]
        return (isinstance(items, list) and len(items) == 9 and all(a == b for i, (a, b) in enumerate(zip(items, expected)) if i != 7)
                and canonical(items[7]) == canonical(event["data"]) and sha256(raw).hex() == event["hash"])
    except (ValueError, TypeError, KeyError):
        return False


def fmt(number):
    """A decimal without exponent or trailing zeros, as the digest writes it."""
    text = format(number.normalize(), "f")
    return "0" if Decimal(text) == 0 else text


def end_of(occurred):
    if re.fullmatch(r"\d{4}", occurred):
        return datetime.date(int(occurred), 12, 31)
    if re.fullmatch(r"\d{4}-\d{2}", occurred):
        year, month = int(occurred[:4]), int(occurred[5:])
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return datetime.date.fromisoformat(occurred)


def instant(text):
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
    return datetime.datetime.fromisoformat(text)


def contribution_problem(c, events, model, as_of, known_at, half_life):
    recorded = next((e for e in events if e["eventId"] == c["eventId"]), None)
    if recorded is None:
        return f"event {c['eventId']} is not in the bundle"
    if recorded["hash"] != c["hash"] or recorded["type"] != c["type"] or recorded["type"] in ("interaction-corrected", "interaction-retracted"):
        return "the bundle's event has another hash or type"
    source = recorded
    correction_hash = c.get("correctionHash")
    if correction_hash is not None:
        source = next((e for e in events if e["hash"] == correction_hash and e["type"] == "interaction-corrected"), None)
        if source is None or json.loads(hash_input(source)[1][7])["correctedEventId"] != c["eventId"]:
            return f"no correction of {c['eventId']} with hash {correction_hash} is in the bundle"
    if any(instant(hash_input(e)[1][6]) > known_at for e in (recorded, source)):
        return "an event was recorded after the derivation's known-at time"
    facts = json.loads(hash_input(source)[1][7])["facts"]
    direction = "joint" if facts["joint"] else f"{facts['initiator']}\u2192{facts['target']}"
    if facts["cameoCode"] != c["cameoCode"] or facts["occurredOn"] != c["occurredOn"] or direction != c["direction"]:
        return "its CAMEO code, date or direction is not the event's"
    weight = c["weight"]
    if facts["cameoCode"] not in model["weights"] or Decimal(model["weights"][facts["cameoCode"]]) != weight:
        return f"its weight {weight} is not the model's for CAMEO code {facts['cameoCode']}"
    effective = end_of(facts["occurredOn"])
    age = (as_of - effective).days
    if effective > as_of or age != c["ageDays"]:
        return f"its age is {age} days, not {c['ageDays']}"
    decay = Decimal(format(2.0 ** (-age / float(half_life)), ".15g")).quantize(SIX, rounding=ROUND_HALF_EVEN)
    value = (weight * decay).quantize(SIX, rounding=ROUND_HALF_EVEN)
    if decay != c["decayFactor"] or value != c["value"]:
        return f"decay {c['decayFactor']} and value {c['value']} recomputed as {decay} and {value}"
    return None


def derivation_checks(bundle):
    model = bundle["model"]
    d = bundle["derivation"]
    checks = []
    try:
        as_of = datetime.date.fromisoformat(d["asOf"])
        known_at = instant(d["knownAt"])
        half_life = Decimal(model["halfLifeDays"])
        entries = []
        for k, c in enumerate(d["contributions"]):
            problem = contribution_problem(c, bundle["events"], model, as_of, known_at, half_life)
            checks.append(("derivation", problem is None, f"contribution {k} (event {c['eventId']}): {problem or 'facts, weight, age, decay and value recomputed'}"))
            entries.append(c)
        parameters = {"halfLifeDays": model["halfLifeDays"], "weights": f"{len(model['weights'])} CAMEO codes"}
        same = d["model"]["id"] == model["id"] and d["model"]["version"] == model["version"] and all(d["model"]["parameters"][k] == v for k, v in parameters.items())
        checks.append(("derivation", same, f"the derivation names the bundle's model {model['id']}@{model['version']}"))
        weights = [Decimal(c["weight"]) for c in entries]
        score = sum((Decimal(c["value"]) for c in entries), Decimal(0))
        totals = (d["score"] == score and d["cooperation"] == sum((w for w in weights if w > 0), Decimal(0))
                  and d["conflict"] == sum((w for w in weights if w < 0), Decimal(0)) and d["net"] == sum(weights, Decimal(0))
                  and d["events"] == len(entries))
        checks.append(("derivation", totals, f"score {d['score']} = sum of values ({score}); cooperation, conflict, net and event count recomputed"))
        digest_input = ('{"model":' + json.dumps({"id": model["id"], "version": model["version"], "parameters": dict(sorted(parameters.items()))}, separators=(",", ":"))
                        + ',"asOf":' + json.dumps(d["asOf"]) + ',"contributions":['
                        + ",".join("[" + ",".join([json.dumps(c["eventId"]), json.dumps(c["hash"]), json.dumps(c.get("correctionHash")),
                                                   fmt(c["weight"]), fmt(c["decayFactor"]), fmt(c["value"])]) + "]" for c in entries)
                        + "]}")
        digest = hashlib.sha256(digest_input.encode("utf-8")).hexdigest()
        checks.append(("derivation", d["digest"] == digest, f"digest {digest} recomputed"))
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError) as e:
        checks.append(("derivation", False, f"the derivation is not readable: {e!r}"))
    return checks


def verify(bundle, public_key, key_id, expected_model_hash):
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        return [("format", False, f"format is '{FORMAT}'")]
    checks = [("format", True, f"format is '{FORMAT}'")]
    checkpoint = None
    try:
        size, root, named_key, signed, signature = parse_checkpoint(bundle["checkpoint"])
        try:
            public_key.verify(signature, signed)
            good = named_key == key_id
        except InvalidSignature:
            good = False
        checks.append(("signature", good, f"the checkpoint (size {size}, key {named_key}) is signed by key {key_id}"))
        checkpoint = (size, root)
    except (ValueError, KeyError, TypeError) as e:
        checks.append(("signature", False, f"the checkpoint is not readable: {e}"))
    for e in bundle["events"]:
        checks.append(("event-hash", hash_holds(e), f"event {e['eventId']}: its stored fields are its hash input, which hashes to {e['hash']}"))
        if checkpoint is None:
            checks.append(("inclusion", False, f"event {e['eventId']}: no readable checkpoint to prove it against"))
            continue
        try:
            included = verify_inclusion(e["leafIndex"], checkpoint[0], leaf_hash(e), [bytes.fromhex(p) for p in e["proof"]], checkpoint[1])
        except (ValueError, TypeError, OverflowError):
            included = False
        checks.append(("inclusion", included, f"event {e['eventId']}: leaf {e['leafIndex']} of {checkpoint[0]} leads to the checkpoint's root"))
    model = bundle["model"]
    text = f"{MODEL_HEADER}\nid {model['id']}\nversion {model['version']}\nhalfLifeDays {model['halfLifeDays']}\n"
    text += "".join(f"weight {code} {model['weights'][code]}\n" for code in sorted(model["weights"]))
    model_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    checks.append(("model-hash", model_hash == bundle["modelHash"], f"the model data hashes to modelHash {bundle['modelHash']}"))
    if expected_model_hash is None:
        checks.append(("model-hash", False, "no model hash to trust: pass --model-hash"))
    else:
        checks.append(("model-hash", expected_model_hash == bundle["modelHash"], f"modelHash is the trusted {expected_model_hash}"))
    return checks + derivation_checks(bundle)


def main():
    parser = argparse.ArgumentParser(description="Verify a KarabakhLedger offline audit bundle.")
    parser.add_argument("bundle")
    parser.add_argument("--key", required=True, help="the ledger's public key (PEM)")
    parser.add_argument("--model-hash", help="the model hash to trust")
    args = parser.parse_args()
    try:
        with open(args.key, "rb") as f:
            public_key = load_pem_public_key(f.read())
        if not isinstance(public_key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 key")
    except (OSError, ValueError) as e:
        print(f"error: --key: {e}", file=sys.stderr)
        return 1
    key_id = sha256(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))[:8].hex()
    try:
        with open(args.bundle, encoding="utf-8") as f:
            bundle = json.load(f, parse_float=Decimal)
        checks = verify(bundle, public_key, key_id, args.model_hash)
    except OSError as e:
        print(f"error: bundle: {e}", file=sys.stderr)
        return 1
    except (ValueError, KeyError, TypeError) as e:
        checks = [("format", False, f"the file is not an audit bundle: {e!r}")]
    for category, holds, what in checks:
        print(f"{'ok' if holds else 'FAILED'} {category}: {what}")
    failed = sorted({c for c, holds, _ in checks if not holds})
    if failed:
        print(f"error: the bundle does not verify: {sum(not h for _, h, _ in checks)} of {len(checks)} checks failed ({', '.join(failed)})", file=sys.stderr)
        return 3
    print(f"The bundle verifies: all {len(checks)} checks held.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
