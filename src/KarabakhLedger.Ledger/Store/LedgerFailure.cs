using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Ledger.Store;

/// <summary>What kind of failure reached the user, which decides the CLI's exit code and the HTTP status.</summary>
public enum LedgerFailureKind
{
    /// <summary>The input breaks a rule (CLI exit 1, HTTP 400).</summary>
    InvalidInput,

    /// <summary>A concurrent writer got there first (CLI exit 4, HTTP 409).</summary>
    Conflict,

    /// <summary>The store cannot be opened or reached (CLI exit 2, HTTP 503).</summary>
    Unavailable,
}

/// <summary>
/// A failure of the ledger told to a user, the same words on the CLI (<c>error: SUMMARY</c>, then the detail and each
/// refused field on its own line) and in the HTTP API's problem details (title, detail, <c>errors</c>). Only the
/// ledger's own failures have one: anything else is not for the user to read.
/// </summary>
public sealed record LedgerFailure(LedgerFailureKind Kind, string Summary, string? Detail, IReadOnlyList<ValidationError> Errors)
{
    /// <summary>
    /// The failure <paramref name="exception"/> means, or null when it is not one of the ledger's own. Only a request
    /// that <paramref name="writes"/> is told that nothing was written.
    /// </summary>
    public static LedgerFailure? Of(Exception exception, bool writes) => exception switch
    {
        LedgerValidationException v => new(
            LedgerFailureKind.InvalidInput,
            writes ? "the input was refused; nothing was written." : "the request was refused.",
            null,
            v.Errors),
        WrongExpectedVersionException w => new(
            LedgerFailureKind.Conflict,
            "the dyad stream is not at the expected version; nothing was written.",
            $"The stream is at version {w.Actual}, not the expected {w.Expected}: reload it and try again.",
            []),
        EventIdConflictException c => new(LedgerFailureKind.Conflict, "the event id is taken; nothing was written.", c.Message, []),
        LedgerStoreUnavailableException u => new(LedgerFailureKind.Unavailable, u.Message, null, []),
        _ => null,
    };

    /// <summary>The summary as a sentence on its own, for a title: its first letter in upper case.</summary>
    public string Title => string.Concat(Summary[..1].ToUpperInvariant(), Summary[1..]);

    /// <summary>The lines the CLI prints on stderr: the summary after <c>error: </c>, then the detail and each refused field, indented.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"error: {Summary}";
        if (Detail is not null)
        {
            yield return $"  {Detail}";
        }

        foreach (var error in Errors)
        {
            yield return $"  {error.Field}: {error.Rule}";
        }
    }
}
