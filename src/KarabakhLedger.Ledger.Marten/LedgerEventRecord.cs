using System.Text.Json.Serialization;

namespace KarabakhLedger.Ledger.Marten;

/// <summary>
/// The one Marten event type of the ledger: every ledger event is stored as this record, under the alias
/// <see cref="Alias"/>, whatever its own <see cref="Type"/>. Marten keeps the position (its global sequence), the
/// stream key, the stream version and the event id in its own columns; this record keeps the rest of a
/// <see cref="Store.StoredEvent"/>.
/// </summary>
/// <remarks>
/// <see cref="Data"/> holds the event's JSON as the exact text that was appended, not as a nested jsonb value:
/// jsonb rewrites numbers (<c>1E+2</c> becomes <c>100</c>) and keeps only the last of duplicate keys, either of
/// which would change what the hash chain covers. The property names are fixed so that the stored layout does not
/// depend on the serializer's settings.
/// </remarks>
internal sealed record LedgerEventRecord
{
    /// <summary>Marten's event type name for every ledger event (the <c>type</c> column of <c>mt_events</c>).</summary>
    public const string Alias = "ledger_event";

    /// <summary>The ledger's own stable event type name, e.g. <c>interaction-recorded</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The version of the event type's JSON schema.</summary>
    [JsonPropertyName("schemaVersion")]
    public required int SchemaVersion { get; init; }

    /// <summary>The event's JSON, exactly as appended.</summary>
    [JsonPropertyName("data")]
    public required string Data { get; init; }

    /// <summary>When the ledger recorded the event (the store's clock, UTC, whole microseconds).</summary>
    [JsonPropertyName("recordedAt")]
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The hash of the event before this one in its stream; the genesis hash for a stream's first event.</summary>
    [JsonPropertyName("previousHash")]
    public required string PreviousHash { get; init; }

    /// <summary>This event's hash (see <see cref="Store.EventHash"/>).</summary>
    [JsonPropertyName("hash")]
    public required string Hash { get; init; }
}
