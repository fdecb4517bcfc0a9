namespace KarabakhLedger.Domain.Interactions;

/// <summary>
/// Where a fact comes from: an outlet and title, with either a URL and the date it was accessed, or a seed
/// document and the passage in it (or both, for a seed passage that cites its footnote).
/// </summary>
public sealed record Source(
    string Outlet,
    string Title,
    Uri? Url = null,
    DateOnly? Accessed = null,
    string? Document = null,
    string? Passage = null);
