using System.Text.Json;
using KarabakhLedger.Domain.Contracts;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// The service writes JSON with the ledger's conventions (<see cref="LedgerJson.Options"/>): camelCase, no nulls,
/// kebab-case enum names, partial dates as text, decimals with their scale. So an API answer reads like an export line.
/// </summary>
internal static class ServiceJson
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = LedgerJson.Options.PropertyNamingPolicy;
        options.DefaultIgnoreCondition = LedgerJson.Options.DefaultIgnoreCondition;
        options.Encoder = LedgerJson.Options.Encoder;
        foreach (var converter in LedgerJson.Options.Converters)
        {
            options.Converters.Add(converter);
        }
    }
}
