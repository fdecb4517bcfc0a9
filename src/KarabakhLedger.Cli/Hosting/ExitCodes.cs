using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>The process exit codes of <c>ledger</c>, documented in the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad input: a validation rule, malformed JSON, an unknown option value. Nothing was written.</summary>
    public const int InvalidInput = 1;

    /// <summary>The store could not be opened or reached.</summary>
    public const int StoreUnavailable = 2;

    /// <summary>A hash chain is broken: <c>verify</c> found an altered or missing event, or the ledger is an unfinished copy.</summary>
    public const int VerificationFailed = 3;

    /// <summary>A concurrent writer got there first (expected-version or event-id conflict). Nothing was written.</summary>
    public const int Conflict = 4;

    /// <summary>The exit code of a failure of the ledger (<see cref="LedgerFailure"/>).</summary>
    public static int For(LedgerFailureKind kind) => kind switch
    {
        LedgerFailureKind.InvalidInput => InvalidInput,
        LedgerFailureKind.Conflict => Conflict,
        LedgerFailureKind.Unavailable => StoreUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
