using System.Text.Json;
using KarabakhLedger.Domain.Contracts;

namespace KarabakhLedger.Projections.Tests.Infrastructure;

/// <summary>Scoring results compared as the ledger writes them: every field, every decimal with its scale.</summary>
public static class Json
{
    public static string Of<T>(T value) => JsonSerializer.Serialize(value, LedgerJson.Options);
}
