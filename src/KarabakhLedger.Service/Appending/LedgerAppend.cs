using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// What a command handler decided to append: validated recordings, and the version that the one dyad stream they
/// touch must be at (<see cref="ExpectedVersion.Any"/> when the caller named none). Nothing is written yet.
/// </summary>
public sealed record LedgerAppend(IReadOnlyList<Domain.Recording.Recording> Recordings, ExpectedVersion Expected);
