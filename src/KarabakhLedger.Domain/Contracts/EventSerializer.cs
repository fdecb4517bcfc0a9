using System.Text.Json;
using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Interactions;

namespace KarabakhLedger.Domain.Contracts;

/// <summary>Writes events in their current shape and reads any stored version, upcasting it step by step.</summary>
public sealed class EventSerializer
{
    private readonly Dictionary<(string Type, int From), IEventUpcaster> _upcasters;
    private readonly Dictionary<string, EventType> _byName;
    private readonly Dictionary<Type, EventType> _byClr;

    public EventSerializer(IReadOnlyList<EventType> types, IEnumerable<IEventUpcaster> upcasters)
    {
        _byName = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _byClr = types.ToDictionary(t => t.ClrType);
        _upcasters = new();
        foreach (var upcaster in upcasters)
        {
            if (!_upcasters.TryAdd((upcaster.EventType, upcaster.FromVersion), upcaster))
            {
                throw new ArgumentException(
                    $"Two upcasters for {upcaster.EventType} v{upcaster.FromVersion}.", nameof(upcasters));
            }
        }
    }

    /// <summary>The serializer with the upcasters shipped with the ledger (none yet: every type is at v1).</summary>
    public static EventSerializer Default { get; } = new(EventTypes.All, []);

    public SerializedEvent Serialize(ILedgerEvent e)
    {
        var type = _byClr.TryGetValue(e.GetType(), out var t)
            ? t
            : throw new InvalidOperationException($"{e.GetType().Name} has no stored event type.");
        return new SerializedEvent(type.Name, type.Version, JsonSerializer.Serialize(e, type.ClrType, LedgerJson.Options));
    }

    public ILedgerEvent Deserialize(string typeName, int version, string json)
    {
        if (!_byName.TryGetValue(typeName, out var type))
        {
            throw new InvalidDataException($"Stored event type '{typeName}' is unknown to this version of the ledger.");
        }

        if (version > type.Version)
        {
            throw new InvalidDataException(
                $"Stored event type '{typeName}' is at v{version}, newer than this ledger's v{type.Version}.");
        }

        if (version < type.Version)
        {
            var node = JsonNode.Parse(json)?.AsObject()
                ?? throw new InvalidDataException($"Stored '{typeName}' event is not a JSON object.");
            for (var v = version; v < type.Version; v++)
            {
                node = _upcasters.TryGetValue((typeName, v), out var upcaster)
                    ? upcaster.Upcast(node)
                    : throw new InvalidDataException($"No upcaster takes '{typeName}' from v{v} to v{v + 1}.");
            }

            return (ILedgerEvent)(node.Deserialize(type.ClrType, LedgerJson.Options)
                ?? throw new InvalidDataException($"Stored '{typeName}' event is null."));
        }

        return (ILedgerEvent)(JsonSerializer.Deserialize(json, type.ClrType, LedgerJson.Options)
            ?? throw new InvalidDataException($"Stored '{typeName}' event is null."));
    }
}

/// <summary>An event as the store keeps it: its type name, schema version and JSON.</summary>
public sealed record SerializedEvent(string Type, int SchemaVersion, string Json);
