using System.CommandLine;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Recording;
using KarabakhLedger.Ledger.Recording;

namespace KarabakhLedger.Cli.Record;

/// <summary>
/// <c>ledger record [FILE]</c>: records interactions, multilateral acts, corrections or retractions from a JSON
/// file (or stdin) in the recording format. All of the file is appended, or none of it.
/// </summary>
public static class RecordCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string?>("file")
        {
            Description = "A JSON file with one object or an array of objects (docs/recording-format.md); '-' or nothing reads stdin.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("record", "Record interactions from a JSON file or stdin.") { file };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var path = parse.GetValue(file);
            string json;
            if (path is null or "-")
            {
                json = await RecordingText.ReadAsync(context.In, cancellationToken);
            }
            else if (File.Exists(path))
            {
                json = RecordingText.FromUtf8(await File.ReadAllBytesAsync(path, cancellationToken));
            }
            else
            {
                throw new UserInputException($"file: '{path}' does not exist");
            }

            var recordings = RecordingParser.ParseBatch(json, context.Actors);
            return await LedgerCli.WithStoreAsync(parse, context, async store =>
            {
                var items = await new LedgerRecorder(store, EventSerializer.Default, context.Clock).RecordAsync(recordings, cancellationToken: cancellationToken);
                RecordingTable.Write(context.Console, items);
                return ExitCodes.Ok;
            }, cancellationToken);
        }));
        return command;
    }
}
