using System.CommandLine;
using System.Globalization;
using System.Text;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Ledger.Import;
using Spectre.Console;

namespace KarabakhLedger.Cli.Import;

/// <summary>
/// <c>ledger import --format gdelt1|gdelt2|icews FILE…</c>: imports event-data files (or stdin, <c>-</c>; <c>.zip</c>
/// and <c>.gz</c> read as they are) into the ledger, in atomic batches, idempotently; rejected rows are counted by
/// reason and, with <c>--rejects</c>, written to a file with their reason. A progress bar on a terminal, one summary
/// line always.
/// </summary>
public static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "The dataset's layout: gdelt1 (57 or 58 columns), gdelt2 (61) or icews (20, header row).", Required = true };
        format.AcceptOnlyFromAmong("gdelt1", "gdelt2", "icews");
        var files = new Argument<string[]>("files") { Description = "Files to import ('-' reads stdin); .zip and .gz are read directly.", Arity = ArgumentArity.OneOrMore };
        var rejects = new Option<string?>("--rejects") { Description = "Write every rejected row to this file (tab-separated), with its reason and detail." };
        var batch = new Option<int>("--batch-size")
        {
            Description = "Rows per atomic append (default 2000).",
            DefaultValueFactory = _ => EventDataImporter.DefaultBatchSize,
        };
        var command = new Command("import", "Import GDELT 1.0, GDELT 2.0 or ICEWS event files into the ledger.") { format, files, rejects, batch };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            var kind = parse.GetValue(format) switch
            {
                "gdelt1" => EventDataFormat.Gdelt1,
                "gdelt2" => EventDataFormat.Gdelt2,
                _ => EventDataFormat.Icews,
            };
            var paths = parse.GetValue(files)!;
            foreach (var path in paths.Where(p => p != "-" && !File.Exists(p)))
            {
                throw new UserInputException($"files: '{path}' does not exist");
            }

            if (parse.GetValue(batch) < 1)
            {
                throw new UserInputException("--batch-size: must be 1 or more");
            }

            var totalBytes = paths.Where(p => p != "-").Sum(p => new FileInfo(p).Length);
            var inputs = paths.SelectMany(p => p == "-" ? [ImportInput.FromReader(new StreamReader(context.In))] : ImportInput.Open(p));
            return await LedgerCli.WithStoreAsync(parse, context, async store =>
            {
                var rejectsPath = parse.GetValue(rejects);
                await using var rejectsWriter = rejectsPath is null ? null : new StreamWriter(rejectsPath, append: false, new UTF8Encoding(false));
                var importer = new EventDataImporter(store, EventSerializer.Default, new EventDataRows(context.Actors, CameoCatalog.Default), context.Clock);
                ImportReport? report = null;
                if (context.Console.Profile.Capabilities.Interactive)
                {
                    await context.Console.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .StartAsync(async progress =>
                        {
                            var task = progress.AddTask("Importing", maxValue: Math.Max(1, totalBytes));
                            var done = new ByteCounter();
                            report = await importer.ImportAsync(kind, inputs, rejectsWriter, new Reporter(p =>
                            {
                                task.Value = Math.Min(task.MaxValue, done.Advance(p));
                                task.Description = string.Create(CultureInfo.InvariantCulture,
                                    $"{Markup.Escape(p.File)}: {p.Rows} rows, {p.Imported} imported, {p.AlreadyThere} already there, {p.Rejected} rejected ({p.RowsPerSecond:0} rows/s)");
                            }), parse.GetValue(batch), cancellationToken);
                            task.Value = task.MaxValue;
                        });
                }
                else
                {
                    report = await importer.ImportAsync(kind, inputs, rejectsWriter, null, parse.GetValue(batch), cancellationToken);
                }

                await context.Out.WriteLineAsync(report!.Summary + (rejectsPath is null || report.RejectedTotal == 0 ? "" : $"; rejected rows in {rejectsPath}"));
                return ExitCodes.Ok;
            }, cancellationToken);
        }));
        return command;
    }

    /// <summary>Reports synchronously, on the importer's own flow, so the bar never runs behind or after the import.</summary>
    private sealed class Reporter(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    /// <summary>Bytes read over all files: the finished files' lengths and the current file's position.</summary>
    private sealed class ByteCounter
    {
        private string? _file;
        private long _finished;
        private long _current;

        public long Advance(ImportProgress p)
        {
            if (p.File != _file)
            {
                _finished += _current;
                _file = p.File;
            }

            _current = p.Position;
            return _finished + _current;
        }
    }
}
