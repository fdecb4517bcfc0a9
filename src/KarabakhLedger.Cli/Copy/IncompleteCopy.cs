using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Cli.Copy;

/// <summary>What <c>ledger verify</c> says of a store that an unfinished <c>ledger copy</c> left behind.</summary>
public static class IncompleteCopy
{
    /// <summary>
    /// Reports the unfinished copy <paramref name="store"/> holds and returns <see cref="ExitCodes.VerificationFailed"/>;
    /// null when there is none.
    /// </summary>
    public static async Task<int?> ReportAsync(ILedgerStore store, CliContext context, CancellationToken cancellationToken)
    {
        if (await store.GetCopyInProgressAsync(cancellationToken) is not { } copy)
        {
            return null;
        }

        var size = await store.Log.GetSizeAsync(cancellationToken);
        await context.Error.WriteLineAsync(
            $"BROKEN: incomplete copy: {store.Description} holds the first {size} events of a copy from {copy.Source} (started {copy.StartedAt:u}) that never finished; finish it with 'ledger copy --from SOURCE --to TARGET --resume'.");
        return ExitCodes.VerificationFailed;
    }
}
