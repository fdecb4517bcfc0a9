using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Verification;
using Spectre.Console;

namespace KarabakhLedger.Cli.Copy;

/// <summary>
/// <c>ledger copy --from A --to B</c>: copies a whole ledger into an empty one (SQLite to PostgreSQL, or back),
/// keeping event ids, stream versions, recording times, hashes and the global order; then verifies the copy.
/// </summary>
public static class CopyCommand
{
    private const int Batch = 1000;

    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "The ledger to copy (SQLite path or PostgreSQL connection string).", Required = true };
        var to = new Option<string>("--to") { Description = "An empty ledger to copy into (SQLite path or PostgreSQL connection string).", Required = true };
        var command = new Command("copy", "Copy a whole ledger into an empty one, keeping ids, versions, order and hashes.") { from, to };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            await using var source = await StoreFactory.OpenAsync(parse.GetValue(from)!, context.Clock, cancellationToken);
            await using var target = await StoreFactory.OpenAsync(parse.GetValue(to)!, context.Clock, cancellationToken);
            if (await target.ReadAllAsync(0, cancellationToken).AnyAsync(cancellationToken))
            {
                throw new UserInputException($"--to: {target.Description} already holds events; copy only into an empty ledger");
            }

            var total = await source.ReadAllAsync(0, cancellationToken).CountAsync(cancellationToken);
            var started = context.Clock.GetTimestamp();
            var copied = 0;
            await context.Console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"Copying {total} events", maxValue: Math.Max(total, 1));
                var batch = new List<StoredEvent>(Batch);
                await foreach (var e in source.ReadAllAsync(0, cancellationToken))
                {
                    batch.Add(e);
                    if (batch.Count == Batch)
                    {
                        await target.ImportAsync(batch, cancellationToken);
                        copied += batch.Count;
                        task.Increment(batch.Count);
                        batch.Clear();
                    }
                }

                await target.ImportAsync(batch, cancellationToken);
                copied += batch.Count;
                task.Increment(batch.Count);
            });
            var seconds = Math.Max(context.Clock.GetElapsedTime(started).TotalSeconds, 1e-3);
            var report = await ChainVerifier.VerifyAsync(target, cancellationToken: cancellationToken);
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Copied {copied} events from {source.Description} to {target.Description} in {seconds:0.0} s ({copied / seconds:0} events/s)."));
            if (!report.Intact || report.EventsChecked != copied)
            {
                await context.Error.WriteLineAsync($"BROKEN: the copy does not verify: {report.FirstBroken?.Problem ?? $"{report.EventsChecked} of {copied} events found"}.");
                return ExitCodes.VerificationFailed;
            }

            context.Console.WriteLine($"Verified: {report.EventsChecked} events in {report.StreamsChecked} streams, every hash chain intact.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
