namespace KarabakhLedger.Domain.Interactions;

/// <summary>A number the source gives: an amount, a count, a tonnage, a troop strength.</summary>
public sealed record Figure(string Name, decimal Value, string Unit);
