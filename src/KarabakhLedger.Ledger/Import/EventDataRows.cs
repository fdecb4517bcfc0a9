using System.Globalization;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Provenance;
using KarabakhLedger.Domain.Time;

namespace KarabakhLedger.Ledger.Import;

/// <summary>One line of an event-data file: its 1-based line number and its cells.</summary>
public sealed record RawRow(long Line, string[] Cells);

/// <summary>What a row became: an interaction for its dyad's stream, or a rejection with its reason and detail.</summary>
public abstract record MappedRow(RawRow Row);

public sealed record AcceptedRow(RawRow Row, Dyad Dyad, CodedInteraction Event) : MappedRow(Row);

public sealed record RejectedRow(RawRow Row, string Reason, string Detail) : MappedRow(Row);

/// <summary>
/// Turns rows of GDELT 1.0, GDELT 2.0 and ICEWS files into <see cref="CodedInteraction"/>s (docs/adr/0013): actors by
/// the <see cref="ActorRegistry"/>, the CAMEO code checked against <see cref="CameoCatalog"/>, the day from SQLDATE or
/// Event Date, and the dataset's own fields kept as written. Pure: the same row of the same file always maps alike.
/// </summary>
public sealed class EventDataRows(ActorRegistry actors, CameoCatalog cameo)
{
    public const int Gdelt1BackfileColumns = 57;
    public const int Gdelt1DailyColumns = 58;
    public const int Gdelt2Columns = 61;
    public const int IcewsColumns = 20;

    private const int SideWidth = 10;

    /// <summary>The id an imported row gets: the same for the same source id of the same dataset, on every import.</summary>
    public static Guid EventIdOf(string dataset, string sourceEventId) =>
        DeterministicGuid.Create(DeterministicGuid.ImportNamespace, $"{dataset}:{sourceEventId}");

    /// <summary>True for ICEWS's header row, which is skipped rather than imported.</summary>
    public static bool IsHeader(EventDataFormat format, RawRow row) =>
        format == EventDataFormat.Icews && row.Line == 1 && row.Cells.Length > 0 && row.Cells[0] == "Event ID";

    public MappedRow Map(EventDataFormat format, string file, RawRow row) => format switch
    {
        EventDataFormat.Icews => MapIcews(file, row),
        _ => MapGdelt(format, file, row),
    };

    private MappedRow MapGdelt(EventDataFormat format, string file, RawRow row)
    {
        var c = row.Cells;
        var (dataset, version, title) = format == EventDataFormat.Gdelt1
            ? (Provenances.Gdelt1, "1.0", "GDELT 1.0")
            : (Provenances.Gdelt2, "2.0", "GDELT 2.0");
        var layout = (format, c.Length) switch
        {
            (EventDataFormat.Gdelt1, Gdelt1DailyColumns) => "gdelt1-daily",
            (EventDataFormat.Gdelt1, Gdelt1BackfileColumns) => "gdelt1-backfile",
            (EventDataFormat.Gdelt2, Gdelt2Columns) => "gdelt2",
            _ => null,
        };
        if (layout is null)
        {
            return new RejectedRow(row, RejectReasons.Malformed, format == EventDataFormat.Gdelt1
                ? $"{c.Length} columns; GDELT 1.0 rows have {Gdelt1DailyColumns} (daily files) or {Gdelt1BackfileColumns} (backfile)"
                : $"{c.Length} columns; GDELT 2.0 rows have {Gdelt2Columns}");
        }

        var id = c[0].Trim();
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
        {
            return new RejectedRow(row, RejectReasons.Malformed, $"GLOBALEVENTID '{id}' is not a number");
        }

        if (!TryDay(c[1], "yyyyMMdd", out var day))
        {
            return new RejectedRow(row, RejectReasons.Malformed, $"SQLDATE '{c[1]}' is not a YYYYMMDD date");
        }

        var (dateAddedAt, urlAt) = layout switch
        {
            "gdelt1-daily" => (56, 57),
            "gdelt1-backfile" => (56, -1),
            _ => (59, 60),
        };
        var dateAdded = DateAdded(c[dateAddedAt], format);
        if (dateAdded is null)
        {
            return new RejectedRow(row, RejectReasons.Malformed, $"DATEADDED '{c[dateAddedAt]}' is not a {(format == EventDataFormat.Gdelt1 ? "YYYYMMDD date" : "YYYYMMDDHHMMSS time")}");
        }

        if (!TryNumbers(c, out var numbers, out var numberError))
        {
            return new RejectedRow(row, RejectReasons.Malformed, numberError);
        }

        var code = c[26].Trim();
        if (!cameo.TryGet(code, out var entry))
        {
            return new RejectedRow(row, RejectReasons.UnknownCameoCode, $"EventCode '{code}' is not in the CAMEO table");
        }

        var sides = new CodedSide?[2];
        for (var s = 0; s < 2; s++)
        {
            var at = 5 + (s * SideWidth);
            var types = new[] { c[at + 7], c[at + 8], c[at + 9] }.Select(t => t.Trim()).Where(t => t.Length > 0).ToArray();
            var (resolved, reason, detail) = ResolveGdelt(c[at].Trim(), c[at + 2].Trim(), c[at + 3].Trim(), types, $"Actor{s + 1}");
            if (resolved is null)
            {
                return new RejectedRow(row, reason!, detail!);
            }

            sides[s] = new CodedSide(resolved, Blank(c[at]), Blank(c[at + 1]), Blank(c[at + 2]), Blank(c[at + 3]), types.Length == 0 ? null : types);
        }

        var url = urlAt >= 0 ? Blank(c[urlAt]) : null;
        var source = url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new Source(uri.Host, $"{title} event {id}", uri, DateOnly.FromDateTime(dateAdded.Value.UtcDateTime))
            : new Source(title, $"{title} event {id}", Document: file, Passage: url is null ? $"line {row.Line}" : $"line {row.Line}: {url}");
        var provenance = new EventDataProvenance(
            dataset, version, layout, file, row.Line, id, sides[0]!, sides[1]!, code,
            numbers.Goldstein, numbers.Quad, numbers.Mentions, numbers.Sources, numbers.Articles, numbers.Tone,
            format == EventDataFormat.Gdelt1 ? dateAdded.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : dateAdded.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            url);
        return Accept(row, dataset, id, day, entry, sides[0]!, sides[1]!, source, provenance);
    }

    private MappedRow MapIcews(string file, RawRow row)
    {
        var c = row.Cells;
        if (c.Length != IcewsColumns)
        {
            return new RejectedRow(row, RejectReasons.Malformed, $"{c.Length} columns; ICEWS rows have {IcewsColumns}");
        }

        var id = c[0].Trim();
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
        {
            return new RejectedRow(row, RejectReasons.Malformed, $"Event ID '{id}' is not a number");
        }

        if (!TryDay(c[1], "yyyy-MM-dd", out var day))
        {
            return new RejectedRow(row, RejectReasons.Malformed, $"Event Date '{c[1]}' is not a YYYY-MM-DD date");
        }

        if (!decimal.TryParse(c[7], NumberStyles.Float, CultureInfo.InvariantCulture, out var intensity))
        {
            return new RejectedRow(row, RejectReasons.Malformed, $"Intensity '{c[7]}' is not a number");
        }

        var code = c[6].Trim();
        if (!cameo.TryGet(code, out var entry))
        {
            return new RejectedRow(row, RejectReasons.UnknownCameoCode, $"CAMEO Code '{code}' is not in the CAMEO table");
        }

        var sides = new CodedSide?[2];
        for (var s = 0; s < 2; s++)
        {
            var at = s == 0 ? 2 : 8;
            var role = s == 0 ? "Source" : "Target";
            var (resolved, reason, detail) = ResolveIcews(c[at].Trim(), c[at + 1].Trim(), c[at + 2].Trim(), role);
            if (resolved is null)
            {
                return new RejectedRow(row, reason!, detail!);
            }

            sides[s] = new CodedSide(resolved, Name: Na(c[at]), Country: Na(c[at + 2]), Sectors: Na(c[at + 1]));
        }

        var publisher = Na(c[13]);
        var story = Na(c[11]);
        var sentence = Na(c[12]);
        var source = new Source(
            publisher ?? "ICEWS",
            $"ICEWS event {id}{(story is null ? "" : $", story {story}")}{(sentence is null ? "" : $", sentence {sentence}")}",
            Document: file,
            Passage: $"line {row.Line}");
        var provenance = new EventDataProvenance(
            Provenances.Icews, "dataverse-28075", "icews", file, row.Line, id, sides[0]!, sides[1]!, code,
            Goldstein: intensity, StoryId: story, SentenceNumber: sentence, Publisher: publisher);
        return Accept(row, Provenances.Icews, id, day, entry, sides[0]!, sides[1]!, source, provenance);
    }

    private static MappedRow Accept(
        RawRow row, string dataset, string id, DateOnly day, CameoEntry entry, CodedSide a, CodedSide b, Source source, EventDataProvenance provenance)
    {
        if (a.Resolved == b.Resolved)
        {
            return new RejectedRow(row, RejectReasons.SameActor, $"both sides are {a.Resolved}");
        }

        var facts = new InteractionFacts(
            EventIdOf(dataset, id), entry.Code, a.Resolved, b.Resolved, false, new PartialDate(day.Year, day.Month, day.Day),
            Theatre.Unassigned, $"{a.Name ?? a.Code ?? a.Resolved} → {b.Name ?? b.Code ?? b.Resolved}: {entry.Label}", [], [source]);
        return new AcceptedRow(row, new Dyad(a.Resolved, b.Resolved), new CodedInteraction(facts, provenance));
    }

    /// <summary>
    /// A GDELT side: its actor code when the registry knows it (TURGOV, NATO's NAT, IGOUNO is not one); else its
    /// country code with its role codes (TUR + GOV), or the country alone; else its known-group code.
    /// </summary>
    private (string? Code, string? Reason, string? Detail) ResolveGdelt(string code, string country, string group, string[] types, string side)
    {
        if (code.Length == 0 && country.Length == 0 && group.Length == 0 && types.Length == 0)
        {
            return (null, RejectReasons.NoActor, $"{side} has no code, country, known group or type");
        }

        var candidates = new List<string>();
        if (code.Length > 0)
        {
            candidates.Add(code);
        }

        if (country.Length > 0)
        {
            var roles = types.Distinct(StringComparer.Ordinal).ToArray();
            for (var n = roles.Length; n >= 0; n--)
            {
                candidates.Add(country + string.Concat(roles.Take(n)));
            }
        }

        if (group.Length > 0)
        {
            candidates.Add(group);
        }

        foreach (var candidate in candidates)
        {
            if (actors.TryGet(candidate, out var actor))
            {
                return (actor.Code, null, null);
            }
        }

        return (null, code.Length == 0 && country.Length == 0 && group.Length == 0 ? RejectReasons.NoActor : RejectReasons.UnknownActor,
            $"{side}Code '{code}' (country '{country}', known group '{group}', types '{string.Join(",", types)}') is not in the actor tables");
    }

    /// <summary>
    /// An ICEWS side: its country by name, as the sector code of its sectors' role when they have one (Police → NGACOP,
    /// <see cref="IcewsSectors"/>); with country NA, its own name when the registry knows it (an IGO).
    /// </summary>
    private (string? Code, string? Reason, string? Detail) ResolveIcews(string name, string sectors, string country, string side)
    {
        if (Na(country) is { } countryName)
        {
            if (!actors.TryResolve(countryName, out var state, out _))
            {
                return (null, RejectReasons.UnknownActor, $"{side} Country '{countryName}' is not a known country name");
            }

            return IcewsSectors.Default.RoleOf(Na(sectors)) is { } role && actors.TryGet(state.Code + role, out var sector)
                ? (sector.Code, null, null)
                : (state.Code, null, null);
        }

        if (Na(name) is { } actorName && actors.TryResolve(actorName, out var actor, out _))
        {
            return (actor.Code, null, null);
        }

        return (null, RejectReasons.NoActor, $"{side} Country is NA and {side} Name '{name}' is not a known actor");
    }

    private readonly record struct Numbers(decimal Goldstein, int Quad, int Mentions, int Sources, int Articles, decimal Tone);

    private static bool TryNumbers(string[] c, out Numbers numbers, out string error)
    {
        numbers = default;
        error = "";
        var fields = new[] { ("QuadClass", 29), ("NumMentions", 31), ("NumSources", 32), ("NumArticles", 33) };
        var ints = new int[4];
        for (var i = 0; i < fields.Length; i++)
        {
            if (!int.TryParse(c[fields[i].Item2], NumberStyles.Integer, CultureInfo.InvariantCulture, out ints[i]))
            {
                error = $"{fields[i].Item1} '{c[fields[i].Item2]}' is not a whole number";
                return false;
            }
        }

        if (!decimal.TryParse(c[30], NumberStyles.Float, CultureInfo.InvariantCulture, out var goldstein))
        {
            error = $"GoldsteinScale '{c[30]}' is not a number";
            return false;
        }

        if (!decimal.TryParse(c[34], NumberStyles.Float, CultureInfo.InvariantCulture, out var tone))
        {
            error = $"AvgTone '{c[34]}' is not a number";
            return false;
        }

        numbers = new Numbers(goldstein, ints[0], ints[1], ints[2], ints[3], tone);
        return true;
    }

    private static DateTimeOffset? DateAdded(string text, EventDataFormat format)
    {
        var pattern = format == EventDataFormat.Gdelt1 ? "yyyyMMdd" : "yyyyMMddHHmmss";
        return DateTime.TryParseExact(text.Trim(), pattern, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;
    }

    private static bool TryDay(string text, string pattern, out DateOnly day) =>
        DateOnly.TryParseExact(text.Trim(), pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static string? Blank(string text) => text.Trim() is { Length: > 0 } t ? t : null;

    /// <summary>ICEWS writes NA for a missing value.</summary>
    private static string? Na(string text) => Blank(text) is { } t && t != "NA" ? t : null;
}
