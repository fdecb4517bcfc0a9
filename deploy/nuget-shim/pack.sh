#!/usr/bin/env bash
# Rebuilds the local NuGet shim package(s) in deploy/nuget-feed/ from the nuspec
# file(s) in this folder. A shim holds only its nuspec (no assembly), so the .nupkg
# is a plain OPC zip: [Content_Types].xml, _rels/.rels and the nuspec. Entries get a
# fixed timestamp and order, so rebuilding yields byte-identical files and
# `git status` shows no change unless a nuspec changed.
#
# Why: Marten 9.58.0 -> Weasel.Postgresql 9.49.0 -> Patched.DistributedLock.Postgres
# 1.3.3 -> Patched.DistributedLock.Core [1.0.11, 1.1.0), which the mirror does not
# serve. NuGet.config maps that one id to deploy/nuget-feed (packageSourceMapping).
#
# After changing a nuspec without changing its version, delete the cached copy
# (~/.nuget/packages/patched.distributedlock.core/<version>) or NuGet keeps the old one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
feed="$here/../nuget-feed"
mkdir -p "$feed"
command -v python3 >/dev/null || { echo "pack.sh: python3 is required" >&2; exit 1; }

python3 - "$feed" "$here"/*.nuspec <<'PY'
import os, re, sys, zipfile
feed, nuspecs = sys.argv[1], sys.argv[2:]
ct = ('<?xml version="1.0" encoding="utf-8"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
      '<Default Extension="nuspec" ContentType="application/octet" />'
      '</Types>')
for path in nuspecs:
    text = open(path, encoding="utf-8").read()
    pid = re.search(r"<id>\s*([^<\s]+)\s*</id>", text).group(1)
    ver = re.search(r"<version>\s*([^<\s]+)\s*</version>", text).group(1)
    rels = ('<?xml version="1.0" encoding="utf-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/{pid}.nuspec" Id="R0" />'
            '</Relationships>')
    out = os.path.join(feed, f"{pid}.{ver}.nupkg")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("_rels/.rels", rels), (f"{pid}.nuspec", text),
                           ("[Content_Types].xml", ct)):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode("utf-8"))
    print(os.path.relpath(out))
PY
