using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Cli.Keys;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Verification;

namespace KarabakhLedger.Cli.Verify;

/// <summary>
/// <c>ledger verify [--checkpoint FILE | --from OLD --to NEW] [--key PUBKEY]</c>: re-checks every stream's hash chain;
/// with a checkpoint, recomputes the ledger's leaves from its events and compares them with the signed root; with two
/// checkpoints, proves from the ledger's log that the second extends the first. Exit code 3 on any failure.
/// </summary>
public static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A signed checkpoint (ledger checkpoint): check the ledger's events and Merkle log against it." };
        var from = new Option<string?>("--from") { Description = "With --to: an older checkpoint; prove that the log only grew from it to the newer one." };
        var to = new Option<string?>("--to") { Description = "With --from: the newer checkpoint." };
        var key = new Option<string?>("--key") { Description = "The public key (ledger-signing.pub) the checkpoints must be signed with. Default: the .pub beside the private key ledger checkpoint uses ($LEDGER_SIGNING_KEY, else keys/ledger-signing.key in the user's ledger data folder)." };
        var command = new Command("verify", "Re-check every hash chain, and the ledger against a signed checkpoint; exit code 3 and the first difference if one fails.")
        {
            checkpoint, from, to, key,
        };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var (checkpointPath, fromPath, toPath) = (parse.GetValue(checkpoint), parse.GetValue(from), parse.GetValue(to));
            if ((fromPath is null) != (toPath is null))
            {
                throw new UserInputException(fromPath is null ? "--to: needs --from (the older checkpoint)" : "--from: needs --to (the newer checkpoint)");
            }

            if (checkpointPath is not null && fromPath is not null)
            {
                throw new UserInputException("--checkpoint: give either --checkpoint or --from and --to, not both");
            }

            if (checkpointPath is null && fromPath is null)
            {
                return await LedgerCli.WithStoreAsync(parse, context, async store =>
                    await WriteAsync(context, await ChainVerifier.VerifyAsync(store, cancellationToken: cancellationToken)), cancellationToken);
            }

            var publicKey = LoadKey(parse.GetValue(key) ?? Path.ChangeExtension(KeyCommand.DefaultPrivateKey(context), ".pub"));
            if (checkpointPath is not null)
            {
                var signed = Load("--checkpoint", checkpointPath);
                return await LedgerCli.WithStoreAsync(parse, context, async store =>
                    await WriteAsync(context, await CheckpointVerifier.VerifyAsync(store, signed, publicKey, cancellationToken)), cancellationToken);
            }

            var (older, newer) = (Load("--from", fromPath!), Load("--to", toPath!));
            return await LedgerCli.WithStoreAsync(parse, context, async store =>
                await WriteAsync(context, await CheckpointVerifier.VerifyGrowthAsync(store, older, newer, publicKey, cancellationToken)), cancellationToken);
        }));
        return command;
    }

    private static Checkpoint Load(string option, string path)
    {
        try
        {
            return Checkpoint.Load(path);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{option}: {e.Message}");
        }
    }

    private static LedgerVerifyingKey LoadKey(string path)
    {
        try
        {
            return LedgerVerifyingKey.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--key: {e.Message}");
        }
    }

    private static async Task<int> WriteAsync(CliContext context, VerificationReport report)
    {
        if (report.Checkpoint is { } c)
        {
            await context.Out.WriteLineAsync($"Checkpoint: {c.Size} events, root {c.Root[..16]}…, signed {c.Time:yyyy-MM-dd HH:mm:ss}Z with key {c.KeyId}.");
            if (c.SignatureProblem is { } signature)
            {
                await context.Error.WriteLineAsync($"SIGNATURE: {signature}.");
            }

            if (c.FirstChange is { } change)
            {
                var where = string.Join(", ", new[]
                {
                    change.LeafIndex is { } leaf ? $"leaf {leaf}" : null,
                    change.Position is { } position ? $"position {position}" : null,
                    change.StreamId is { } stream ? $"stream {stream}" + (change.StreamVersion is { } v ? $" version {v}" : "") : null,
                }.OfType<string>());
                await context.Error.WriteLineAsync($"CHANGED ({change.Kind.ToString().ToLowerInvariant()}){(where.Length > 0 ? $" at {where}" : "")}: {change.Detail}.");
            }

            if (c.LogProblem is { } log)
            {
                await context.Error.WriteLineAsync($"LOG: {log}.");
            }
        }

        if (report.UnfinishedCopy is { } copy)
        {
            await context.Error.WriteLineAsync(
                $"BROKEN: incomplete copy: the store holds the first {report.EventsChecked} events of a copy from {copy.Source} (started {copy.StartedAt:u}) that never finished; finish it with 'ledger copy --from SOURCE --to TARGET --resume'.");
        }

        if (report.FirstBroken is { } broken)
        {
            var stream = broken.StreamId is null ? "a row" : $"{broken.StreamId}{(broken.StreamVersion is { } v ? $" version {v}" : "")}";
            var id = broken.EventId is { } eventId ? $"event {eventId}, " : "";
            await context.Error.WriteLineAsync($"BROKEN: {stream} ({id}position {broken.Position}): {broken.Problem}.");
        }

        if (report.Intact)
        {
            await context.Out.WriteLineAsync(report.Checkpoint is { } held
                ? $"OK: the first {held.Size} of {held.EventsCompared} events, recomputed from their content, give the checkpoint's root; every hash chain is intact; the stored Merkle log is consistent with both."
                : $"OK: {report.EventsChecked} events in {report.StreamsChecked} streams; every hash chain is intact.");
        }

        await context.Out.WriteLineAsync("This check detects:");
        foreach (var line in report.Detects)
        {
            await context.Out.WriteLineAsync($"  - {line}");
        }

        await context.Out.WriteLineAsync("It cannot detect:");
        foreach (var line in report.CannotDetect)
        {
            await context.Out.WriteLineAsync($"  - {line}");
        }

        return report.Intact ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    private static async Task<int> WriteAsync(CliContext context, GrowthReport report)
    {
        foreach (var (name, problem) in new[] { ("--from", report.FromSignatureProblem), ("--to", report.ToSignatureProblem) })
        {
            if (problem is not null)
            {
                await context.Error.WriteLineAsync($"SIGNATURE ({name}): {problem}.");
            }
        }

        if (report.Problem is { } p)
        {
            await context.Error.WriteLineAsync($"NOT GROWN: {p}.");
        }

        if (report.Holds)
        {
            await context.Out.WriteLineAsync(
                $"OK: both checkpoints are signed by the key, and a consistency proof of {report.ProofHashes} hashes from the ledger's log shows that its tree of {report.ToSize} events extends the one of {report.FromSize}: the log only grew.");
        }

        return report.Holds ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }
}
