namespace KarabakhLedger.Domain.Contracts;

/// <summary>
/// The stored contract of one event type: a stable name that never changes once events carry it, the
/// current schema version of its JSON shape, and the CLR record that shape deserializes into.
/// </summary>
public sealed record EventType(string Name, int Version, Type ClrType);
