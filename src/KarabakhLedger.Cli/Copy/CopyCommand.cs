using System.CommandLine;
using System.Globalization;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Verification;
using KarabakhLedger.Stores;
using Spectre.Console;

namespace KarabakhLedger.Cli.Copy;

/// <summary>
/// <c>ledger copy --from A --to B [--resume]</c>: copies a whole ledger into an empty one (SQLite to PostgreSQL, or
/// back), keeping event ids, stream versions, recording times, hashes and the global order; then verifies the copy.
/// The target carries a copy-in-progress mark until the last event is in, so an interrupted copy never passes
/// <c>ledger verify</c>; <c>--resume</c> finishes it from the last event the target holds.
/// </summary>
public static class CopyCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "The ledger to copy (SQLite path or PostgreSQL connection string).", Required = true };
        var to = new Option<string>("--to") { Description = "An empty ledger to copy into (SQLite path or PostgreSQL connection string).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Finish an interrupted copy into --to from where it stopped." };
        var batchSize = new Option<int>("--batch") { Description = "Events per transaction on the target (default 1000); an interrupted copy keeps whole batches.", DefaultValueFactory = _ => 1000 };
        var command = new Command("copy", "Copy a whole ledger into an empty one, keeping ids, versions, order and hashes.") { from, to, resume, batchSize };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var size = parse.GetValue(batchSize) is var n and >= 1 and <= 100_000 ? n : throw new UserInputException("--batch: must be from 1 to 100000 events");
            await using var source = await LedgerLocation.Parse(parse.GetValue(from), "--from").OpenLedgerAsync(context.Clock, cancellationToken);
            await using var target = await LedgerLocation.Parse(parse.GetValue(to), "--to").OpenLedgerAsync(context.Clock, cancellationToken);
            var after = await StartAsync(source, target, parse.GetValue(resume), context.Clock, cancellationToken);
            var already = await target.Log.GetSizeAsync(cancellationToken);
            var total = await source.ReadAllAsync(0, cancellationToken).CountAsync(cancellationToken);
            var started = context.Clock.GetTimestamp();
            var copied = 0;
            await context.Console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"Copying {total} events", maxValue: Math.Max(total, 1));
                task.Increment(already);
                var batch = new List<StoredEvent>(size);
                await foreach (var e in source.ReadAllAsync(after, cancellationToken))
                {
                    batch.Add(e);
                    if (batch.Count == size)
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
            var resumed = already > 0 ? $" (resumed after the {already} it already held)" : "";
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Copied {copied} events from {source.Description} to {target.Description}{resumed} in {seconds:0.0} s ({copied / seconds:0} events/s)."));
            var report = await ChainVerifier.VerifyAsync(target, cancellationToken: cancellationToken);
            var head = await MerkleLog.HeadAsync(target.Log, cancellationToken);
            var problem = report.FirstBroken is { } broken ? broken.Problem
                : report.EventsChecked != already + copied ? $"{report.EventsChecked} of {already + copied} events found"
                : !(await MerkleLog.RootAsync(source.Log, head.Size, cancellationToken)).SequenceEqual(head.Root) ? $"its Merkle root at size {head.Size} is not the source's"
                : null;
            if (problem is not null)
            {
                await context.Error.WriteLineAsync($"BROKEN: the copy does not verify: {problem}. The target stays marked as an incomplete copy.");
                return ExitCodes.VerificationFailed;
            }

            await target.SetCopyInProgressAsync(null, cancellationToken);
            context.Console.WriteLine($"Verified: {report.EventsChecked} events in {report.StreamsChecked} streams, every hash chain intact; Merkle root at size {head.Size} {head.RootHex}, the source's.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Marks the target as an unfinished copy of <paramref name="source"/>, or, resuming, checks that what it holds is
    /// the source's log so far (same leaves, hence the same Merkle root at its size). Returns the source position
    /// to copy after.
    /// </summary>
    private static async Task<long> StartAsync(ILedgerStore source, ILedgerStore target, bool resume, TimeProvider clock, CancellationToken cancellationToken)
    {
        var unfinished = await target.GetCopyInProgressAsync(cancellationToken);
        var size = await target.Log.GetSizeAsync(cancellationToken);
        if (unfinished is not null && !resume)
        {
            throw new UserInputException(
                $"--to: {target.Description} holds an unfinished copy from {unfinished.Source} (started {unfinished.StartedAt:u}); finish it with --resume");
        }

        if (unfinished is null && size > 0)
        {
            throw new UserInputException(resume
                ? $"--resume: {target.Description} holds events but no unfinished copy; copy only into an empty ledger"
                : $"--to: {target.Description} already holds events; copy only into an empty ledger");
        }

        if (unfinished is null)
        {
            await target.SetCopyInProgressAsync(new CopyInProgress(source.Description, clock.GetUtcNow()), cancellationToken);
            return 0;
        }

        if (size == 0)
        {
            return 0;
        }

        var last = await target.Log.ReadLeavesAsync(size - 1, cancellationToken).FirstAsync(cancellationToken);
        var there = await source.FindEventAsync(last.EventId, cancellationToken);
        var leaf = there is null ? null : await source.Log.FindLeafAsync(there.Position, cancellationToken);
        var sourceRoot = leaf?.Index == size - 1 ? await MerkleLog.RootAsync(source.Log, size, cancellationToken) : null;
        var targetRoot = await MerkleLog.RootAsync(target.Log, size, cancellationToken);
        if (sourceRoot is null || !sourceRoot.AsSpan().SequenceEqual(targetRoot))
        {
            throw new UserInputException(
                $"--resume: the {size} events {target.Description} holds are not the first {size} of {source.Description}; it is a copy of another ledger");
        }

        return there!.Position;
    }
}
