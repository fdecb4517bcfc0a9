#!/usr/bin/env bash
# Puts `ledger` on the PATH the way .NET users expect: packs src/KarabakhLedger.Cli as a .NET tool and installs it
# globally (~/.dotnet/tools), or updates an earlier install.
#
#   deploy/install.sh            install or update the global tool
#   deploy/install.sh --uninstall
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-offline}"

if [ "${1:-}" = "--uninstall" ]; then
    dotnet tool uninstall --global KarabakhLedger.Cli
    exit 0
fi

feed="artifacts/tool"
rm -rf -- "$feed"
mkdir -p "$feed"
if ! dotnet pack src/KarabakhLedger.Cli -c Release -o "$feed" --nologo -v quiet >"$feed/pack.log" 2>&1; then
    grep -v "warning NU1603" "$feed/pack.log" >&2
    echo "deploy/install.sh: error: dotnet pack failed (log: $feed/pack.log)" >&2
    exit 1
fi
version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' src/KarabakhLedger.Cli/KarabakhLedger.Cli.csproj)
# A tool package carries its dependencies, so the install needs only this folder as its feed (the repo's
# NuGet.config maps package ids to sources, which --add-source cannot be combined with).
cat >"$feed/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="karabakh-ledger-tool" value="$(pwd)/$feed" />
  </packageSources>
</configuration>
CONFIG
dotnet tool update --global --configfile "$feed/nuget.config" --version "$version" KarabakhLedger.Cli >/dev/null
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
echo "deploy/install.sh: ledger $version installed in $tools"
case ":$PATH:" in
    *":$tools:"*) ;;
    *) echo "deploy/install.sh: add it to your PATH:  export PATH=\"\$PATH:$tools\"" ;;
esac
