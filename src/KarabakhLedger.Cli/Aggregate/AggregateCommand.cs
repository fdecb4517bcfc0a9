using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using KarabakhLedger.Cli.Hosting;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Scoring.Aggregates;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Cli.Aggregate;

/// <summary>
/// <c>ledger aggregate</c>: the standard dyad-period aggregates (events, quad counts, Goldstein sum and mean, mentions)
/// per state dyad, or per recorded actor pair with <c>--exact</c>, as CSV or JSON Lines (docs/scoring.md, "Aggregates").
/// </summary>
public static class AggregateCommand
{
    public static Command Create(CliContext context)
    {
        var options = new Projections.QueryOptions();
        var dyad = new Option<string?>("--dyad") { Description = "Only this dyad (a state dyad, or with --exact the recorded actor pair)." };
        var all = new Option<bool>("--all") { Description = "Every dyad (the default when --dyad is not given)." };
        var bucket = new Option<string>("--bucket") { Description = "day, week (ISO), month, quarter or year.", Required = true };
        bucket.AcceptOnlyFromAmong("day", "week", "month", "quarter", "year");
        var directed = new Option<bool>("--directed") { Description = "One row per source → target instead of per unordered dyad." };
        var exact = new Option<bool>("--exact") { Description = "Rows per recorded actor pair (RUSMIL-UKRGOV) instead of per state dyad." };
        var format = new Option<string>("--format") { Description = "csv or jsonl.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var command = new Command("aggregate", "Dyad-period aggregates: events, QuadClass counts, Goldstein sum and mean, mentions.")
        {
            dyad, all, bucket, directed, exact, format, options.AsOf, options.KnownAt, options.Model, options.Provenance,
        };
        command.SetAction((parse, cancellationToken) => LedgerCli.GuardAsync(context, async () =>
        {
            if (parse.GetValue(all) && parse.GetValue(dyad) is not null)
            {
                throw new UserInputException("--all: give either --dyad or --all, not both");
            }

            var only = OptionParsing.Dyad(parse.GetValue(dyad), "--dyad", context.Actors);
            var query = options.ParseQuery(parse, context.Clock);
            var model = ModelCatalog.Bundled.Get(options.ParseModel(parse));
            var kind = Enum.Parse<AggregateBucket>(parse.GetValue(bucket)!, ignoreCase: true);
            var request = new AggregateRequest(query, kind, parse.GetValue(directed), parse.GetValue(exact), only);
            return await LedgerCli.WithStoreAsync(parse, context, async store =>
            {
                var aggregates = new DyadAggregates(request, model, context.Actors);
                await foreach (var stored in store.ReadAllAsync(0, cancellationToken))
                {
                    aggregates.Add(stored.RecordedAt, EventSerializer.Default.Deserialize(stored.Type, stored.SchemaVersion, stored.Data));
                }

                var result = aggregates.Build();
                var mentions = query.Provenance.Included.Any(p => p is Provenances.Gdelt1 or Provenances.Gdelt2);
                if (parse.GetValue(format) == "csv")
                {
                    await WriteCsvAsync(context.Out, result, request.Directed, mentions);
                }
                else
                {
                    await WriteJsonlAsync(context.Out, result, request.Directed, mentions);
                }

                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Rows.Count} rows under {model.Key} (quad scheme {result.QuadScheme}, provenance {query.Provenance}); left out: {result.SameState} with both sides in one state, {result.NoState} with a side in no state."));
                return ExitCodes.Ok;
            }, cancellationToken);
        }));
        return command;
    }

    private static async Task WriteCsvAsync(TextWriter output, AggregateResult result, bool directed, bool mentions)
    {
        await output.WriteLineAsync(string.Join(',', Columns(directed, mentions)));
        foreach (var r in result.Rows)
        {
            var cells = new List<string> { r.Period };
            cells.AddRange(directed ? [r.Source!, r.Target!] : [r.Dyad]);
            cells.AddRange([N(r.Events), N(r.Quad1), N(r.Quad2), N(r.Quad3), N(r.Quad4), LedgerJson.Format(r.GoldsteinSum), r.GoldsteinMean is { } m ? LedgerJson.Format(m) : ""]);
            if (mentions)
            {
                cells.Add(r.MentionsSum.ToString(CultureInfo.InvariantCulture));
            }

            await output.WriteLineAsync(string.Join(',', cells));
        }
    }

    private static async Task WriteJsonlAsync(TextWriter output, AggregateResult result, bool directed, bool mentions)
    {
        foreach (var r in result.Rows)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("period", r.Period);
                if (directed)
                {
                    writer.WriteString("source", r.Source);
                    writer.WriteString("target", r.Target);
                }
                else
                {
                    writer.WriteString("dyad", r.Dyad);
                }

                writer.WriteNumber("events", r.Events);
                writer.WriteNumber("quad1", r.Quad1);
                writer.WriteNumber("quad2", r.Quad2);
                writer.WriteNumber("quad3", r.Quad3);
                writer.WriteNumber("quad4", r.Quad4);
                writer.WritePropertyName("goldsteinSum");
                writer.WriteRawValue(LedgerJson.Format(r.GoldsteinSum));
                writer.WritePropertyName("goldsteinMean");
                if (r.GoldsteinMean is { } mean)
                {
                    writer.WriteRawValue(LedgerJson.Format(mean));
                }
                else
                {
                    writer.WriteNullValue();
                }

                if (mentions)
                {
                    writer.WriteNumber("mentionsSum", r.MentionsSum);
                }

                writer.WriteEndObject();
            }

            await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    private static IEnumerable<string> Columns(bool directed, bool mentions) =>
    [
        "period",
        .. directed ? ["source", "target"] : (string[])["dyad"],
        "events", "quad1", "quad2", "quad3", "quad4", "goldsteinSum", "goldsteinMean",
        .. mentions ? ["mentionsSum"] : (string[])[],
    ];

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
