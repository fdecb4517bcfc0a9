using System.Text.Json;
using System.Text.Json.Serialization;
using KarabakhLedger.Domain.Contracts;

namespace KarabakhLedger.Cli.Projections;

/// <summary>JSON for machines: the ledger's conventions (camelCase, kebab-case enums), indented.</summary>
public static class ProjectionJson
{
    private static readonly JsonSerializerOptions Options = new(LedgerJson.Options) { WriteIndented = true };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);
}
